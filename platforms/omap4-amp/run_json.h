/*
 * The JSON report of a run (--json=FILE), the same frame for both hosts:
 *   {"config": {KEY: "VALUE", ...}, "metrics": {NAME: NUMBER, ...}, ..., "errors": [...],
 *    "pass": true|false}
 * "config" holds every option as the command line reads it; "metrics" is flat (dotted
 * names), so that `rpvp merge` can tabulate any run of any host.
 */
#pragma once

#include <string>
#include <vector>

#include <cjson/cJSON.h>

#include "run_config.h"

namespace rpvp {

/* A new report object with its "config" filled in. */
cJSON *run_json_begin(const RunConfig &c);

/* Adds "errors" and "pass", writes the file and frees root. "" or the reason. */
std::string run_json_end(cJSON *root, const std::string &path,
                         const std::vector<std::string> &errors);

} // namespace rpvp

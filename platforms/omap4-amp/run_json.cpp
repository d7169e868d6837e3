/* The JSON report frame (run_json.h). */
#include "run_json.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace rpvp {

cJSON *run_json_begin(const RunConfig &c)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *cfg = cJSON_AddObjectToObject(root, "config");
    for (const OptionSpec &o : run_options())
        cJSON_AddStringToObject(cfg, o.key, o.get(c).c_str());
    return root;
}

std::string run_json_end(cJSON *root, const std::string &path,
                         const std::vector<std::string> &errors)
{
    cJSON *errs = cJSON_AddArrayToObject(root, "errors");
    for (const std::string &e : errors)
        cJSON_AddItemToArray(errs, cJSON_CreateString(e.c_str()));
    cJSON_AddBoolToObject(root, "pass", errors.empty());
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    FILE *fp = text ? std::fopen(path.c_str(), "w") : nullptr;
    bool ok = fp && std::fprintf(fp, "%s\n", text) >= 0;
    if (fp)
        ok = std::fclose(fp) == 0 && ok;
    cJSON_free(text);
    return ok ? "" : "cannot write " + path + ": " + std::strerror(errno);
}

} // namespace rpvp

/* Parameter sweeps and their merge (sweep.h). */
#include "sweep.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <cjson/cJSON.h>
#include <yaml-cpp/yaml.h>

#include "install_paths.h"
#include "run_config.h"
#include "value_parse.h"

namespace rpvp {

namespace {

using Grid = std::vector<std::pair<std::string, std::vector<std::string>>>;

struct Point {
    std::string dir; /* point-NNN */
    std::vector<std::pair<std::string, std::string>> params;
    std::string command;
};

std::string split_list(const std::string &s, std::vector<std::string> *out)
{
    out->clear();
    std::stringstream ss(s);
    std::string v;
    while (std::getline(ss, v, ','))
        out->push_back(v);
    if (!s.empty() && s.back() == ',')
        out->push_back("");
    return out->empty() ? "no values" : "";
}

/* The scenario's `sweep:` section: grid and metrics. "" or "FILE:LINE: reason". */
std::string read_sweep_section(const std::string &path, Grid *grid,
                               std::vector<std::string> *metrics)
{
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::Exception &) {
        return ""; /* load_scenario reports it */
    }
    if (!root.IsMap() || !root["sweep"])
        return "";
    const YAML::Node s = root["sweep"];
    auto where = [&](const YAML::Node &n) {
        return path + ":" + std::to_string(n.Mark().line + 1) + ": ";
    };
    if (!s.IsMap())
        return where(s) + "sweep: wrong type: a mapping with grid: and metrics: is expected";
    for (auto it = s.begin(); it != s.end(); ++it) {
        const std::string key = it->first.Scalar();
        const YAML::Node v = it->second; /* a copy: it->second is a temporary */
        if (key == "grid" && v.IsMap()) {
            for (auto g = v.begin(); g != v.end(); ++g) {
                std::vector<std::string> vals;
                if (!g->second.IsSequence())
                    return where(g->first) + "sweep.grid." + g->first.Scalar() +
                           ": wrong type: a list of values is expected";
                const YAML::Node seq = g->second;
                for (const YAML::Node &e : seq) {
                    if (!e.IsScalar())
                        return where(e) + "sweep.grid." + g->first.Scalar() +
                               ": wrong type: each value is a scalar";
                    vals.push_back(e.Scalar());
                }
                grid->emplace_back(g->first.Scalar(), vals);
            }
        } else if (key == "metrics" && v.IsSequence()) {
            for (const YAML::Node &e : v)
                metrics->push_back(e.Scalar());
        } else if (key == "grid" || key == "metrics") {
            return where(it->first) + "sweep." + key + ": wrong type: " +
                   (key == "grid" ? "a mapping of keys to lists" : "a list of metric names") +
                   " is expected";
        } else {
            return where(it->first) + "sweep." + key + ": unknown key (grid, metrics)";
        }
    }
    return "";
}

std::string self_exe(const char *argv0)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0)
        return std::string(buf, static_cast<size_t>(n));
    return argv0;
}

std::string absolute(const std::string &p)
{
    char buf[PATH_MAX];
    return realpath(p.c_str(), buf) ? std::string(buf) : p;
}

void write_file(const std::string &path, const std::string &text)
{
    std::ofstream f(path);
    f << text;
    if (!f)
        throw std::runtime_error("cannot write " + path);
}

/* ---- merge ---- */

struct Row {
    std::string dir, status, reason;
    std::vector<std::pair<std::string, std::string>> params;
    std::map<std::string, double> metrics;
};

std::string read_text(const std::string &path)
{
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return f ? ss.str() : std::string();
}

std::string last_line(const std::string &text)
{
    std::string t = text;
    while (!t.empty() && t.back() == '\n')
        t.pop_back();
    size_t nl = t.rfind('\n');
    return nl == std::string::npos ? t : t.substr(nl + 1);
}

Row read_point(const std::string &out, const YAML::Node &p)
{
    Row r;
    r.dir = p["dir"].as<std::string>();
    for (auto it = p["params"].begin(); it != p["params"].end(); ++it)
        r.params.emplace_back(it->first.as<std::string>(), it->second.as<std::string>());
    const std::string text = read_text(out + "/" + r.dir + "/result.json");
    cJSON *j = text.empty() ? nullptr : cJSON_Parse(text.c_str());
    if (!j) {
        r.status = "missing";
        std::string tail = last_line(read_text(out + "/" + r.dir + "/output.txt"));
        r.reason = "no result.json" + (tail.empty() ? std::string() : ": " + tail);
        return r;
    }
    const cJSON *pass = cJSON_GetObjectItemCaseSensitive(j, "pass");
    const cJSON *errs = cJSON_GetObjectItemCaseSensitive(j, "errors");
    r.status = cJSON_IsTrue(pass) ? "ok" : "failed";
    if (cJSON_IsArray(errs) && cJSON_GetArraySize(errs) > 0 &&
        cJSON_IsString(cJSON_GetArrayItem(errs, 0)))
        r.reason = cJSON_GetArrayItem(errs, 0)->valuestring;
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "metrics");
    for (const cJSON *e = m ? m->child : nullptr; e; e = e->next)
        if (cJSON_IsNumber(e))
            r.metrics[e->string] = e->valuedouble;
    cJSON_Delete(j);
    return r;
}

std::string csv_field(const std::string &s)
{
    if (s.find_first_of(",\"\n") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::string number(double v)
{
    char b[64];
    std::snprintf(b, sizeof b, "%.9g", v);
    return b;
}

bool is_number(const std::string &s)
{
    char *e;
    std::strtod(s.c_str(), &e);
    return !s.empty() && *e == '\0';
}

/* One SVG per (metric, parameter): the metric of every ok point against the parameter. */
void write_plots(const std::string &out, const std::vector<Row> &rows,
                 const std::vector<std::string> &params, const std::vector<std::string> &metrics,
                 const std::vector<std::string> &columns)
{
    if (std::system("command -v gnuplot >/dev/null 2>&1") != 0) {
        std::printf("rpvp merge: gnuplot not found: no plots (apt-get install gnuplot-nox)\n");
        return;
    }
    mkdir((out + "/plots").c_str(), 0777);
    for (const std::string &m : metrics) {
        auto mc = std::find(columns.begin(), columns.end(), m);
        if (mc == columns.end()) {
            std::printf("rpvp merge: no metric %s in the results: not plotted\n", m.c_str());
            continue;
        }
        for (const std::string &p : params) {
            bool numeric = true;
            for (const Row &r : rows)
                for (const auto &kv : r.params)
                    if (kv.first == p && !is_number(kv.second))
                        numeric = false;
            std::string safe = m + "-vs-" + p;
            for (char &c : safe)
                if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
                    c = '_';
            const std::string svg = out + "/plots/" + safe + ".svg";
            const size_t pc = static_cast<size_t>(
                std::find(columns.begin(), columns.end(), p) - columns.begin() + 1);
            const size_t yc = static_cast<size_t>(mc - columns.begin() + 1);
            const size_t sc = static_cast<size_t>(
                std::find(columns.begin(), columns.end(), "status") - columns.begin() + 1);
            std::ostringstream g;
            g << "set terminal svg size 640,400\nset output " << shell_quote(svg) << "\n"
              << "set datafile separator ','\nset key off\nset grid\n"
              << "set xlabel '" << p << "'\nset ylabel '" << m << "'\n"
              << "set title '" << m << " against " << p << " (every ok point)'\n";
            if (numeric)
                g << "plot " << shell_quote(out + "/results.csv") << " every ::1 using " << pc
                  << ":(strcol(" << sc << ") eq 'ok' ? $" << yc
                  << " : NaN) with points pt 7\n";
            else
                g << "plot " << shell_quote(out + "/results.csv") << " every ::1 using 0:"
                  << "(strcol(" << sc << ") eq 'ok' ? $" << yc << " : NaN):xtic(" << pc
                  << ") with points pt 7\n";
            const std::string script = out + "/plots/" + safe + ".gp";
            write_file(script, g.str());
            if (std::system(("gnuplot " + shell_quote(script) + " 2>/dev/null").c_str()) != 0)
                std::printf("rpvp merge: gnuplot failed on %s\n", script.c_str());
        }
    }
}

int merge(const std::string &out, bool quiet_plots)
{
    YAML::Node plan;
    try {
        plan = YAML::LoadFile(out + "/sweep.yaml");
    } catch (const YAML::Exception &e) {
        std::fprintf(stderr, "rpvp merge: %s/sweep.yaml: %s (is %s a sweep folder?)\n",
                     out.c_str(), e.what(), out.c_str());
        return 2;
    }
    std::vector<Row> rows;
    std::vector<std::string> params, metrics;
    for (const YAML::Node &k : plan["grid"])
        params.push_back(k["key"].as<std::string>());
    for (const YAML::Node &m : plan["metrics"])
        metrics.push_back(m.as<std::string>());
    std::set<std::string> metric_names;
    for (const YAML::Node &p : plan["points"]) {
        rows.push_back(read_point(out, p));
        for (const auto &kv : rows.back().metrics)
            metric_names.insert(kv.first);
    }
    std::vector<std::string> columns = {"point"};
    for (const std::string &p : params)
        columns.push_back(p);
    columns.push_back("status");
    columns.push_back("reason");
    columns.insert(columns.end(), metric_names.begin(), metric_names.end());
    std::ostringstream csv;
    for (size_t i = 0; i < columns.size(); i++)
        csv << (i ? "," : "") << csv_field(columns[i]);
    csv << "\n";
    unsigned bad = 0;
    for (const Row &r : rows) {
        csv << r.dir;
        for (const auto &kv : r.params)
            csv << "," << csv_field(kv.second);
        csv << "," << r.status << "," << csv_field(r.reason);
        for (const std::string &m : metric_names) {
            auto it = r.metrics.find(m);
            csv << "," << (it == r.metrics.end() ? std::string() : number(it->second));
        }
        csv << "\n";
        if (r.status != "ok") {
            bad++;
            std::printf("rpvp merge: %s %s: %s\n", r.dir.c_str(), r.status.c_str(),
                        r.reason.c_str());
        }
    }
    write_file(out + "/results.csv", csv.str());
    if (metrics.empty()) /* default: the median-like and rate metrics */
        for (const std::string &m : metric_names)
            if (m.find("p50") != std::string::npos || m.find("median") != std::string::npos ||
                m.find("msgs_per_s") != std::string::npos)
                metrics.push_back(m);
    if (!quiet_plots)
        write_plots(out, rows, params, metrics, columns);
    std::printf("rpvp merge: %zu points (%u not ok) -> %s/results.csv\n", rows.size(), bad,
                out.c_str());
    return bad ? 1 : 0;
}

/* ---- running the points ---- */

void run_points(const std::vector<Point> &points, unsigned jobs)
{
    std::map<pid_t, size_t> running;
    size_t next = 0, done = 0;
    while (done < points.size()) {
        while (running.size() < jobs && next < points.size()) {
            std::fflush(stdout);
            pid_t pid = fork();
            if (pid == 0) {
                execl("/bin/sh", "sh", "-c", points[next].command.c_str(),
                      static_cast<char *>(nullptr));
                _exit(127);
            }
            if (pid < 0) {
                std::fprintf(stderr, "rpvp sweep: fork: %s; %s not run\n", std::strerror(errno),
                             points[next].dir.c_str());
                next++, done++;
                continue;
            }
            running[pid] = next++;
        }
        int st;
        pid_t pid = wait(&st);
        if (pid < 0)
            break;
        auto it = running.find(pid);
        if (it == running.end())
            continue;
        const Point &p = points[it->second];
        running.erase(it);
        done++;
        std::string params;
        for (const auto &kv : p.params)
            params += " " + kv.first + "=" + kv.second;
        std::printf("rpvp sweep: %s (%s) %s; %zu of %zu points done, %zu running\n",
                    p.dir.c_str(), params.c_str() + 1,
                    WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "ok" : "FAILED", done,
                    points.size(), running.size());
    }
}

} // namespace

int sweep_main(int argc, char **argv, const char *rpvp_argv0)
{
    CLI::App app("rpvp sweep: run a scenario over a grid of option values, N runs at a time, "
                 "each in its own folder; then merge them into one CSV and plots "
                 "(docs/sweeps.md). Options after the scenario that are not sweep options "
                 "are rpvp options given to every point.",
                 "rpvp sweep");
    std::string scenario, out = "sweep-out";
    std::vector<std::string> grid_args, metric_args;
    unsigned jobs = static_cast<unsigned>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
    bool print_commands = false, slurm = false;
    app.add_option("scenario", scenario, "the scenario file (YAML)")->required()
        ->type_name("SCENARIO");
    app.add_option("--grid", grid_args, "KEY=V1,V2,...: one axis of the grid (repeatable; "
                                        "adds to the scenario's sweep: grid:)")
        ->type_name("KEY=VALUES");
    app.add_option("-j,--jobs", jobs, "points run at a time (default: the number of cores)")
        ->check(CLI::Range(1u, 1024u));
    app.add_option("-o,--out", out, "the sweep folder (default sweep-out)")->type_name("DIR");
    app.add_option("--metric", metric_args, "a metric to plot (repeatable; default: medians "
                                            "and rates)")->type_name("NAME");
    app.add_flag("--print-commands", print_commands,
                 "write the plan, print one shell line per point and exit (for GNU parallel: "
                 "... --print-commands | parallel; then rpvp merge DIR)");
    app.add_flag("--slurm", slurm, "write the plan and DIR/sweep.sbatch (a Slurm array job) "
                                   "and exit; after the job: rpvp merge DIR");
    app.allow_extras();
    if (int rc = parse_cli(app, argc, argv, "rpvp sweep"); rc >= 0)
        return rc;

    /* The base point: the scenario and the extra options, checked as a run would. */
    RunConfig base;
    base.firmware = rpvp_path(RPVP_PATH_FIRMWARE);
    base.plugin = rpvp_path(RPVP_PATH_PLUGIN);
    const RunConfig defaults = base;
    std::string err = load_scenario(scenario, &base);
    Grid grid;
    std::vector<std::string> metrics = metric_args;
    if (err.empty())
        err = read_sweep_section(scenario, &grid, &metrics);
    if (!err.empty()) {
        std::fprintf(stderr, "rpvp sweep: %s\n", err.c_str());
        return 2;
    }
    std::vector<std::string> extras = app.remaining();
    for (const std::string &x : extras) {
        const size_t eq = x.find('=');
        const std::string key = x.substr(2, eq == std::string::npos ? eq : eq - 2);
        const OptionSpec *o = x.rfind("--", 0) == 0 ? find_option(key) : nullptr;
        if (!o || key == "json" || key == "log" || key == "quiet") {
            std::fprintf(stderr, "rpvp sweep: %s: not an rpvp option a sweep can pass on "
                         "(rpvp --help; json, log and quiet are the sweep's)\n", x.c_str());
            return 2;
        }
        err = o->set(base, eq == std::string::npos ? "true" : x.substr(eq + 1));
        if (!err.empty()) {
            std::fprintf(stderr, "rpvp sweep: %s: %s\n", x.c_str(), err.c_str());
            return 2;
        }
        base.origin[key] = "command line";
    }
    for (const std::string &g : grid_args) {
        const size_t eq = g.find('=');
        std::vector<std::string> vals;
        if (eq == std::string::npos || !split_list(g.substr(eq + 1), &vals).empty()) {
            std::fprintf(stderr, "rpvp sweep: --grid %s: want KEY=V1,V2,...\n", g.c_str());
            return 2;
        }
        const std::string key = g.substr(0, eq);
        auto same = std::find_if(grid.begin(), grid.end(),
                                 [&](const auto &a) { return a.first == key; });
        if (same != grid.end())
            same->second = vals; /* the command line overrides the file */
        else
            grid.emplace_back(key, vals);
    }
    if (grid.empty()) {
        std::fprintf(stderr, "rpvp sweep: no grid: give --grid KEY=V1,V2 or a sweep: grid: "
                             "section in %s\n", scenario.c_str());
        return 2;
    }
    for (auto &axis : grid) {
        const OptionSpec *o = find_option(axis.first);
        if (!o || axis.first == "json" || axis.first == "log" || axis.first == "quiet") {
            std::fprintf(stderr, "rpvp sweep: grid key %s: not an option a sweep can vary\n",
                         axis.first.c_str());
            return 2;
        }
        for (std::string &v : axis.second) {
            RunConfig probe = base;
            err = o->set(probe, v);
            if (err.empty())
                v = o->get(probe); /* canonical: "1us" -> "1000", numeric in the CSV */
            if (err.empty()) {
                probe.origin[axis.first] = "grid";
                err = check_config(probe, defaults);
            }
            if (!err.empty()) {
                std::fprintf(stderr, "rpvp sweep: grid %s=%s: %s\n", axis.first.c_str(),
                             v.c_str(), err.c_str());
                return 2;
            }
        }
    }

    /* The plan: the cross product, the first axis slowest. */
    if (mkdir(out.c_str(), 0777) != 0 && errno != EEXIST) {
        std::fprintf(stderr, "rpvp sweep: cannot create %s: %s\n", out.c_str(),
                     std::strerror(errno));
        return 2;
    }
    const std::string aout = absolute(out), ascen = absolute(scenario), exe = self_exe(rpvp_argv0);
    size_t n = 1;
    for (const auto &axis : grid)
        n *= axis.second.size();
    std::vector<Point> points;
    for (size_t i = 0; i < n; i++) {
        Point p;
        char dir[32];
        std::snprintf(dir, sizeof dir, "point-%03zu", i);
        p.dir = dir;
        size_t rest = i, stride = n;
        for (const auto &axis : grid) {
            stride /= axis.second.size();
            p.params.emplace_back(axis.first, axis.second[rest / stride]);
            rest %= stride;
        }
        std::string pd = aout + "/" + p.dir;
        p.command = "mkdir -p " + shell_quote(pd) + " && cd " + shell_quote(pd) + " && " +
                    shell_quote(exe) + " --scenario=" + shell_quote(ascen);
        for (const std::string &x : extras)
            p.command += " " + shell_quote(x);
        for (const auto &kv : p.params)
            p.command += " " + shell_quote("--" + kv.first + "=" + kv.second);
        p.command += " --quiet --json=result.json";
        RunConfig host_of = base;
        for (const auto &kv : p.params)
            if (kv.first == "host")
                host_of.host = kv.second;
        if (host_of.host == "linux")
            p.command += " --log=console.log";
        p.command += " >output.txt 2>&1";
        points.push_back(p);
    }
    YAML::Emitter y;
    y << YAML::BeginMap << YAML::Key << "scenario" << YAML::Value << ascen;
    y << YAML::Key << "grid" << YAML::Value << YAML::BeginSeq;
    for (const auto &axis : grid) {
        y << YAML::BeginMap << YAML::Key << "key" << YAML::Value << axis.first;
        y << YAML::Key << "values" << YAML::Value << YAML::Flow << axis.second << YAML::EndMap;
    }
    y << YAML::EndSeq << YAML::Key << "metrics" << YAML::Value << YAML::Flow << metrics;
    y << YAML::Key << "points" << YAML::Value << YAML::BeginSeq;
    std::string commands;
    for (const Point &p : points) {
        y << YAML::BeginMap << YAML::Key << "dir" << YAML::Value << p.dir;
        y << YAML::Key << "params" << YAML::Value << YAML::BeginMap;
        for (const auto &kv : p.params)
            y << YAML::Key << kv.first << YAML::Value << YAML::DoubleQuoted << kv.second;
        y << YAML::EndMap << YAML::Key << "command" << YAML::Value << p.command << YAML::EndMap;
        commands += p.command + "\n";
    }
    y << YAML::EndSeq << YAML::EndMap;
    try {
        write_file(aout + "/sweep.yaml", std::string(y.c_str()) + "\n");
        write_file(aout + "/commands.txt", commands);
        if (slurm) {
            std::ostringstream s;
            s << "#!/bin/sh\n"
              << "# rpvp sweep of " << ascen << ": one array task per point.\n"
              << "# Submit: sbatch " << aout << "/sweep.sbatch\n"
              << "# After the job: " << exe << " merge " << aout << "\n"
              << "#SBATCH --job-name=rpvp-sweep\n"
              << "#SBATCH --array=0-" << n - 1 << "\n"
              << "#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n"
              << "#SBATCH --output=" << aout << "/slurm-%a.out\n"
              << "line=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" " << shell_quote(aout)
              << "/commands.txt)\n"
              << "exec sh -c \"$line\"\n";
            write_file(aout + "/sweep.sbatch", s.str());
        }
    } catch (const std::exception &e) {
        std::fprintf(stderr, "rpvp sweep: %s\n", e.what());
        return 1;
    }
    if (print_commands) {
        std::fputs(commands.c_str(), stdout);
        return 0;
    }
    if (slurm) {
        std::printf("rpvp sweep: %zu points; submit with: sbatch %s/sweep.sbatch\n"
                    "rpvp sweep: when the job is done: %s merge %s\n",
                    n, aout.c_str(), exe.c_str(), aout.c_str());
        return 0;
    }
    std::printf("rpvp sweep: %zu points, %u at a time, in %s\n", n, jobs, aout.c_str());
    run_points(points, jobs);
    int rc = merge(aout, false);
    if (rc != 0)
        for (const Point &p : points) {
            std::string text = read_text(aout + "/" + p.dir + "/result.json");
            cJSON *j = text.empty() ? nullptr : cJSON_Parse(text.c_str());
            if (!j || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "pass")))
                std::printf("rpvp sweep: %s failed; its command:\n  %s\n", p.dir.c_str(),
                            p.command.c_str());
            cJSON_Delete(j);
        }
    return rc;
}

int merge_main(int argc, char **argv)
{
    CLI::App app("rpvp merge: merge the point folders of a sweep (after GNU parallel or a "
                 "Slurm array job) into DIR/results.csv and plots; a point without a result "
                 "is marked missing.", "rpvp merge");
    std::string out;
    bool no_plots = false;
    app.add_option("dir", out, "the sweep folder")->required()->type_name("DIR");
    app.add_flag("--no-plots", no_plots, "only the CSV");
    if (int rc = parse_cli(app, argc, argv, "rpvp merge"); rc >= 0)
        return rc;
    return merge(out, no_plots);
}

} // namespace rpvp

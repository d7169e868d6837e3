/*
 * Progress lines of a run ("rpvp: [  3.1 s wall] boot: init started; 2.104 s simulated").
 * On a terminal the line is rewritten in place; otherwise (CI logs, pipes) each update is a
 * plain line, and stdout is line-buffered so that progress and report interleave in order.
 * --quiet: nothing. The report itself is never progress: it is printed normally.
 */
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <string>

namespace rpvp {

class Progress {
public:
    Progress(const char *prog, bool quiet)
        : prog_(prog), quiet_(quiet), tty_(isatty(STDOUT_FILENO) == 1),
          t0_(std::chrono::steady_clock::now())
    {
        if (!tty_)
            std::setvbuf(stdout, nullptr, _IOLBF, 0);
    }
    ~Progress() { done(); }
    Progress(const Progress &) = delete;
    Progress &operator=(const Progress &) = delete;

    double wall_s() const
    {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    }

    /* One update; on a terminal it replaces the previous one. */
    void update(const char *fmt, ...) __attribute__((format(printf, 2, 3)))
    {
        if (quiet_)
            return;
        char b[400];
        va_list ap;
        va_start(ap, fmt);
        std::vsnprintf(b, sizeof b, fmt, ap);
        va_end(ap);
        std::printf(tty_ ? "\r\033[K%s: [%6.1f s wall] %s" : "%s: [%6.1f s wall] %s\n", prog_,
                    wall_s(), b);
        std::fflush(stdout);
        open_ = tty_;
    }

    /* Ends an in-place line before other output. */
    void done()
    {
        if (open_)
            std::fputs("\n", stdout), std::fflush(stdout);
        open_ = false;
    }

    bool tty() const { return tty_; }

private:
    const char *prog_;
    bool quiet_, tty_, open_ = false;
    std::chrono::steady_clock::time_point t0_;
};

} // namespace rpvp

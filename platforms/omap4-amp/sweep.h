/*
 * Parameter sweeps: `rpvp sweep SCENARIO --grid KEY=V1,V2 ...` runs the cross product of
 * the grid (and of the scenario's `sweep: grid:` section) as independent rpvp runs, N at a
 * time, each in its own folder OUT/point-NNN (result.json, output.txt, console.log), then
 * `rpvp merge OUT` writes OUT/results.csv (one row per point: its parameters, status,
 * reason and every simulated metric) and gnuplot plots of the chosen metrics against each
 * parameter. A sweep writes OUT/sweep.yaml (the plan) and OUT/commands.txt (one shell
 * line per point) first, so the points can run anywhere: --print-commands prints the lines
 * (for GNU parallel), --slurm writes OUT/sweep.sbatch (a Slurm array job). docs/sweeps.md.
 */
#pragma once

namespace rpvp {

int sweep_main(int argc, char **argv, const char *rpvp_argv0);
int merge_main(int argc, char **argv);

} // namespace rpvp

"""The parts of `benches/run.py` (the overhead benchmark) and of the report benchmarks: pins and
names, interpreters and venvs, what each mode runs, timing, reading back what a run measured,
and the tables. Imported by the scripts in `benches/`, which put this directory's parent on
`sys.path` by being run from it."""

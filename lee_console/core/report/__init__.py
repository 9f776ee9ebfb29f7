"""The post-incident report, built from the journal alone: build.py (build_report and the
measures), fold.py and facts.py (what the journal says), findings.py, truth.py, render.py.

Kept empty of imports: the runbook, find-good's leftover finder and the console's launch import
facts.py and fold.py, which must not pay for the whole report (bench/bench_launch.py)."""

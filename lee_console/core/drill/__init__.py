"""DR training drills, the pure part: the drill's ground truth as the sandbox writes it
(truth.py), the hints a participant may ask for (hints.py), the score card computed against the
truth once the drill ends (score.py) and its rendering (card.py), the saved results ranked for a
facilitator (results.py). The console gathers what the score needs from AWS (aws/drill_finish.py)
and keeps drills and results on disk (store/drills.py)."""

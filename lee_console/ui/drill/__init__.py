"""The console in drill mode: a banner with the running clock on every screen, the page (the
drill's brief) at the start and on `i`, hints on `h` (each costs points), and the score card
once the participant closes the incident (never before)."""

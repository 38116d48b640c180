"""The browser and its session: settings and their checks, launch, the saved sign-in, reachability."""

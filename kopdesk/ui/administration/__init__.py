"""Administration screens: settings, sign-in and About."""

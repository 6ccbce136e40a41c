"""The data behind every report, the statistics and the home page's figures."""

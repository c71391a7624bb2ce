"""Templates for 会前学法 briefs."""

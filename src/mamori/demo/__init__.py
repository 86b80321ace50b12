"""The main job: a synthetic world on the embedded defaults, run end to end."""

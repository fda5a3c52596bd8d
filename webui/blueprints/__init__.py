"""The web UI's blueprints: auth, tasks, processes, instances, admin."""

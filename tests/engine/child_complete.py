"""A separate process that completes tasks (used by test_concurrency; not a test module).

Usage: python child_complete.py URL USER SEED [forever]
Completes every ready task it can see (approving decisions) in random order until none is
left, counting wins and "already completed" losses; prints them as JSON. With ``forever`` it
starts a new instance whenever nothing is ready, so a SIGKILL always lands mid-work.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from engine.definitions import Definitions
from engine.errors import AlreadyCompleted, TaskNotReady
from engine.runtime import Runtime
from engine.store import Store


def main() -> int:
    url, user, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    forever = len(sys.argv) > 4 and sys.argv[4] == "forever"
    rng = random.Random(seed)
    store = Store.from_url(url)
    runtime = Runtime(store, Definitions(store))
    won = lost = 0
    while True:
        ready = runtime.tasks(limit=1000)
        if not ready:
            if not forever:
                break
            runtime.start("sop_surat_keluar", user, title="crash")
            continue
        rng.shuffle(ready)
        for task in ready:
            decision = task.allowed_decisions[0] if task.allowed_decisions else None
            try:
                runtime.complete(task.id, user, decision)
                won += 1
            except (AlreadyCompleted, TaskNotReady):
                lost += 1
    print(json.dumps({"won": won, "lost": lost}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""gunicorn settings for Redress in production (Dockerfile, docker-compose.yml) and in bench/.

Synchronous workers, two per core unless WEB_CONCURRENCY says otherwise: a request's time is
Python and PostgreSQL on the same cores, and on the bench machine (2 cores) four sync workers
filed more complaints per second with a shorter tail than threaded workers (bench/README.md).
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
# "-" logs each request to standard output; "none" turns the access log off (the benchmarks).
accesslog = None if os.environ.get("GUNICORN_ACCESS_LOG") == "none" else os.environ.get("GUNICORN_ACCESS_LOG", "-")


def post_worker_init(worker: object) -> None:
    """Once a worker has loaded Redress: what it loaded (Django, the URL conf, the apps' modules) is
    moved out of the garbage collector's sight (`gc.freeze`), so its full collections walk only what
    requests make rather than the whole process (bench/README.md, "Eleventh round")."""
    gc.freeze()

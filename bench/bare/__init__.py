"""The bare Django app that `make bench-http` measures beside the portal (bench/http.sh).

One view reads one row through a one-line template, on the same database and under the same
gunicorn worker count as the portal: the floor that each portal page is compared with.
"""

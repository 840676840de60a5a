#!/bin/sh
# Back up or restore Hegui: the PostgreSQL database and the evidence files, together.
#
#   ops/backup.sh backup  [DIR]          write DIR (default $BACKUP_DIR/hegui-YYYYmmdd-HHMMSS):
#                                        database.dump (pg_dump custom format), evidence.tar.gz
#                                        (PRIVATE_MEDIA_ROOT) and SHA256SUMS
#   ops/backup.sh restore DIR [--force]  check SHA256SUMS, then restore both. Refuses a database
#                                        that already has tables or an evidence folder that is
#                                        not empty, unless --force (which replaces them).
#
# Needs DATABASE_URL (postgres://user:pass@host:port/name) and PRIVATE_MEDIA_ROOT; pg_dump,
# pg_restore and psql of the server's major version or newer; tar, gzip, sha256sum.
# In the compose stack: docker compose --profile tools run --rm backup backup (see README).
set -eu

die() { echo "backup.sh: $*" >&2; exit 1; }
: "${DATABASE_URL:?set DATABASE_URL}"
: "${PRIVATE_MEDIA_ROOT:?set PRIVATE_MEDIA_ROOT}"
case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *) die "DATABASE_URL must be a postgres:// URL" ;; esac

backup() {
  dir="${1:-${BACKUP_DIR:-backups}/hegui-$(date -u +%Y%m%d-%H%M%S)}"
  [ -e "$dir" ] && die "$dir exists already"
  mkdir -p "$dir"
  # One consistent snapshot of the database (pg_dump runs in one transaction).
  pg_dump --format=custom --no-owner --no-privileges --file="$dir/database.dump" --dbname="$DATABASE_URL"
  # Evidence files are written once and never changed (named by their SHA-256), so copying
  # them after the dump loses at most files uploaded meanwhile, never the files a row names.
  mkdir -p "$PRIVATE_MEDIA_ROOT"
  tar -C "$PRIVATE_MEDIA_ROOT" -czf "$dir/evidence.tar.gz" .
  (cd "$dir" && sha256sum database.dump evidence.tar.gz > SHA256SUMS)
  echo "backup written to $dir"
}

restore() {
  dir="${1:-}"; force="${2:-}"
  [ -n "$dir" ] || die "restore needs the backup's folder"
  [ -f "$dir/SHA256SUMS" ] || die "$dir/SHA256SUMS is missing: not a backup folder"
  (cd "$dir" && sha256sum --check --quiet SHA256SUMS) || die "$dir: a file does not match SHA256SUMS"
  tables=$(psql "$DATABASE_URL" -At -c "select count(*) from information_schema.tables where table_schema = 'public'")
  if [ "$tables" != "0" ] && [ "$force" != "--force" ]; then
    die "the database has $tables tables already; restore into an empty one, or add --force to replace it"
  fi
  mkdir -p "$PRIVATE_MEDIA_ROOT"
  if [ -n "$(ls -A "$PRIVATE_MEDIA_ROOT")" ] && [ "$force" != "--force" ]; then
    die "$PRIVATE_MEDIA_ROOT is not empty; add --force to replace its files"
  fi
  clean=""
  [ "$force" = "--force" ] && clean="--clean --if-exists"
  # shellcheck disable=SC2086
  pg_restore $clean --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$dir/database.dump"
  if [ "$force" = "--force" ]; then
    find "$PRIVATE_MEDIA_ROOT" -mindepth 1 -delete
  fi
  tar -C "$PRIVATE_MEDIA_ROOT" -xzf "$dir/evidence.tar.gz"
  echo "restored $dir"
}

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
  backup) backup "$@" ;;
  restore) restore "$@" ;;
  *) die "usage: backup.sh backup [DIR] | restore DIR [--force]" ;;
esac

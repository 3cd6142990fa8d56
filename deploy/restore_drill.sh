#!/usr/bin/env bash
# Restore drill: on a throw-away database next to DATABASE_URL's, migrate and seed the demo
# data (which stores real PDFs), back up with deploy/backup.sh, drop the database and the
# media, restore with deploy/restore.sh, and compare the row counts of every table of the
# project's models and the SHA-256 of every stored file (at least one PDF) with those before.
#
#   deploy/restore_drill.sh            # DATABASE_URL defaults to the local sxtic role
#
# .ci/run runs it after the tests against its PostgreSQL. Exit code 0 when all match.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
PY="${PY:-$ROOT/.venv/bin/python}"
START=$(date +%s)
log() { echo "==> restore drill [$(($(date +%s) - START))s] $*"; }

base_url="${DATABASE_URL:-postgresql://sxtic:sxtic@127.0.0.1:5432/sxtic}"
case "$base_url" in postgres://* | postgresql://*) ;; *)
  echo "restore drill: DATABASE_URL must be PostgreSQL" >&2; exit 2 ;;
esac
server="${base_url%/*}"
db="sxtic_drill_$$"
admin_url="$server/postgres"
drill_url="$server/$db"
work="$(mktemp -d /tmp/sxtic-drill.XXXXXX)"
chmod 755 "$work"

cleanup() {
  set +e
  psql "$admin_url" -qAt -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

export DATABASE_URL="$drill_url" MEDIA_ROOT="$work/media" VAR_DIR="$work/var"
export DEBUG=1 DJANGO_ENV=development CELERY_TASK_ALWAYS_EAGER=1 REDIS_URL="" CACHE_URL=""
export BACKUP_DIR="$work/backups" BACKUP_KEEP=2
unset DJANGO_SETTINGS_MODULE

log "create $db, migrate, seed the demo"
psql "$admin_url" -v ON_ERROR_STOP=1 -qAt -c "CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0"
"$PY" manage.py migrate --no-input -v 0
"$PY" manage.py seed_demo >"$work/seed.log" 2>&1 || { cat "$work/seed.log"; exit 1; }
DRILL_OUT="$work/before.json" "$PY" manage.py shell -v 0 -c "$(cat deploy/drill_fingerprint.py)"

log "back up (twice, to see the rotation keep BACKUP_KEEP=$BACKUP_KEEP of three)"
for _ in 1 2; do deploy/backup.sh >/dev/null; sleep 1; done
backup="$(deploy/backup.sh)"
kept="$(find "$BACKUP_DIR" -maxdepth 1 -type d -name 'sxtic-*' | wc -l)"
[ "$kept" -eq 2 ] || { echo "rotation kept $kept backups, expected 2" >&2; exit 1; }

log "drop the database and the media"
psql "$admin_url" -v ON_ERROR_STOP=1 -qAt -c "DROP DATABASE $db WITH (FORCE)"
psql "$admin_url" -v ON_ERROR_STOP=1 -qAt -c "CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0"
rm -rf "$MEDIA_ROOT"

log "restore $(basename "$backup")"
deploy/restore.sh "$backup" >/dev/null
DRILL_OUT="$work/after.json" "$PY" manage.py shell -v 0 -c "$(cat deploy/drill_fingerprint.py)"

"$PY" - "$work/before.json" "$work/after.json" <<'PYEOF'
import json, sys
before, after = (json.load(open(p)) for p in sys.argv[1:3])
pdfs = [n for n in before["files"] if n.lower().endswith(".pdf")]
assert pdfs, "the seeded data stored no PDF"
assert sum(before["rows"].values()) > 0, "the seeded data has no rows"
bad = {k: (v, after["rows"].get(k)) for k, v in before["rows"].items() if after["rows"].get(k) != v}
assert not bad, f"row counts differ after restore: {bad}"
assert after["files"] == before["files"], "stored files differ after restore"
main = ("accounts.Organization", "accounts.User", "applications.Application", "audit.AuditEvent")
shown = ", ".join(f"{k.split('.')[1]} {before['rows'][k]}" for k in main if k in before["rows"])
print(f"restore drill: {len(before['rows'])} tables ({sum(before['rows'].values())} rows: {shown}) "
      f"and {len(before['files'])} stored files ({len(pdfs)} PDFs, e.g. {pdfs[0]} "
      f"sha256 {before['files'][pdfs[0]][:16]}…) identical after restore")
PYEOF
log "passed"

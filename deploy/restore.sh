#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into the database of DATABASE_URL and MEDIA_ROOT.
#
#   DATABASE_URL=postgresql://... MEDIA_ROOT=/srv/sxtic/media deploy/restore.sh BACKUP_DIR/sxtic-...
#
# Stop sxtic-web, sxtic-worker and sxtic-beat first. The checksums are verified before
# anything is touched; the database is restored in one transaction (tables of the dump are
# dropped and re-created: --clean --if-exists); MEDIA_ROOT is replaced as a whole (the old
# directory is kept beside it as MEDIA_ROOT.before-restore-<timestamp> until you delete it).
set -euo pipefail

backup="${1:?usage: deploy/restore.sh BACKUP_DIR/sxtic-<timestamp>}"
: "${DATABASE_URL:?DATABASE_URL is required}"
: "${MEDIA_ROOT:?MEDIA_ROOT is required}"
[ -f "$backup/db.dump" ] && [ -f "$backup/media.tar.gz" ] && [ -f "$backup/SHA256SUMS" ] || {
  echo "$backup is not a complete backup (db.dump, media.tar.gz, SHA256SUMS)" >&2
  exit 2
}
(cd "$backup" && sha256sum --quiet -c SHA256SUMS)

pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
  --exit-on-error --dbname="$DATABASE_URL" "$backup/db.dump"

media="${MEDIA_ROOT%/}"
incoming="$media.restoring"
rm -rf "$incoming"
mkdir -p "$incoming"
tar -C "$incoming" -xzf "$backup/media.tar.gz"
if [ -e "$media" ]; then
  mv "$media" "$media.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
fi
mv "$incoming" "$media"
echo "restored $backup"

#!/usr/bin/env bash
# Back up the database (pg_dump, custom format) and the uploaded files (MEDIA_ROOT) into
# BACKUP_DIR/sxtic-<UTC timestamp>/ with a SHA256SUMS file; keep the newest BACKUP_KEEP.
#
#   DATABASE_URL=postgresql://... MEDIA_ROOT=/srv/sxtic/media BACKUP_DIR=/srv/sxtic/backups \
#   BACKUP_KEEP=14 deploy/backup.sh
#
# Prints the directory of the new backup. A backup is written under a .partial name and
# renamed when complete, so a half-written one is never rotated in or restored.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL is required (postgresql://user:password@host:port/db)}"
: "${MEDIA_ROOT:?MEDIA_ROOT is required}"
: "${BACKUP_DIR:?BACKUP_DIR is required}"
KEEP="${BACKUP_KEEP:-14}"
case "$KEEP" in '' | *[!0-9]* | 0) echo "BACKUP_KEEP must be a positive number" >&2; exit 2 ;; esac

umask 077
mkdir -p "$BACKUP_DIR"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
name="sxtic-$stamp"
partial="$BACKUP_DIR/.$name.partial"
rm -rf "$partial"
mkdir "$partial"
trap 'rm -rf "$partial"' ERR

pg_dump --format=custom --compress=6 --no-owner --no-privileges --dbname="$DATABASE_URL" \
  --file="$partial/db.dump"
if [ -d "$MEDIA_ROOT" ]; then
  tar -C "$MEDIA_ROOT" -czf "$partial/media.tar.gz" .
else
  tar -czf "$partial/media.tar.gz" --files-from /dev/null
fi
(cd "$partial" && sha256sum db.dump media.tar.gz >SHA256SUMS)
mv "$partial" "$BACKUP_DIR/$name"
trap - ERR

# Rotation: the newest KEEP complete backups stay.
mapfile -t old < <(find "$BACKUP_DIR" -maxdepth 1 -type d -name 'sxtic-*' -printf '%f\n' | sort -r | tail -n +"$((KEEP + 1))")
for dir in "${old[@]}"; do
  rm -rf "${BACKUP_DIR:?}/$dir"
done
echo "$BACKUP_DIR/$name"

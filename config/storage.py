"""Static files: hashed names (Django's ManifestStaticFilesStorage) with gzip and Brotli copies
written by WhiteNoise at ``collectstatic``; WhiteNoise serves the hashed files with a far-future
``Cache-Control: immutable``.

Django's manifest storage hands out unhashed names while DEBUG is on; the demo (``make run``,
DEBUG) runs ``collectstatic`` first and should load the same light pages as production, so
here the hashed name is used whenever the manifest exists, DEBUG or not. Without a manifest
(a checkout before its first ``collectstatic``, DEBUG) names stay plain and WhiteNoise serves
the source files.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def url(self, name, force=False):
        return super().url(name, force=force or bool(self.hashed_files))

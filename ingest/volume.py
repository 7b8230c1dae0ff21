"""Landing into a Unity Catalog volume through databricks-sdk's Files API.

The Files API has no rename, so the local "temporary name, then rename" cannot be copied (a server-side
copy + delete would be neither atomic nor cheap). What it does have is enough: an upload is a single
``PUT /api/2.0/fs/files/<path>`` whose object becomes visible only once complete, and ``overwrite=False``
makes it create-if-absent (409 when the file exists). So ``put_new`` is exactly one such PUT, and a
reader never sees a partial file or a rewritten one.

We call the generated ``FilesAPI`` (plain single-shot PUT) rather than the ``FilesExt`` mixin that
``WorkspaceClient().files`` returns: the mixin may switch to multipart uploads through presigned URLs,
whose parts are not a single atomic create-if-absent. Landed files (one API page, a few MB) are far below
the single-shot limit of 5 GiB.
"""

from __future__ import annotations

import io
from typing import Any

from ingest.landing import Landing


class VolumeLanding(Landing):
    def __init__(self, root: str, *, workspace_client: Any | None = None) -> None:
        parts = root.rstrip("/").split("/")
        if len(parts) < 5 or parts[1] != "Volumes" or not all(parts[2:5]):
            raise ValueError(f"not a volume path: {root!r}; expected /Volumes/<catalog>/<schema>/<volume>/...")
        self.root = root.rstrip("/")
        self._client = workspace_client
        self._files: Any = None
        self._dirs: set[str] = set()

    def _api(self) -> Any:
        if self._files is None:
            from databricks.sdk import WorkspaceClient
            from databricks.sdk.service.files import FilesAPI

            client = self._client or WorkspaceClient()
            self._files = FilesAPI(client.api_client)
        return self._files

    def _full(self, rel: str) -> str:
        return f"{self.root}/{rel.lstrip('/')}"

    def _ensure_dir(self, full: str) -> None:
        directory = full.rsplit("/", 1)[0]
        if directory not in self._dirs:
            self._api().create_directory(directory)  # idempotent, like mkdir -p
            self._dirs.add(directory)

    def exists(self, rel: str) -> bool:
        from databricks.sdk.errors import NotFound

        try:
            self._api().get_metadata(self._full(rel))
        except NotFound:
            return False
        return True

    def read(self, rel: str) -> bytes | None:
        from databricks.sdk.errors import NotFound

        try:
            response = self._api().download(self._full(rel))
        except NotFound:
            return None
        with response.contents as stream:
            return stream.read()

    def put_new(self, rel: str, data: bytes) -> bool:
        from databricks.sdk.errors import AlreadyExists, ResourceConflict

        full = self._full(rel)
        self._ensure_dir(full)
        try:
            self._api().upload(full, io.BytesIO(data), overwrite=False)
        except (AlreadyExists, ResourceConflict):
            return False
        return True

    def put_replace(self, rel: str, data: bytes) -> None:
        full = self._full(rel)
        self._ensure_dir(full)
        self._api().upload(full, io.BytesIO(data), overwrite=True)

"""Parquet on object storage (`AKENEO_PARQUET_URL=s3://bucket/prefix`), published from local staging.

A load writes its parts under the local data directory exactly as without object storage, and
the warehouse loads from those local files (DuckDB `read_parquet` of a local path, PostgreSQL
`COPY`): the warehouse never reads S3, so no DuckDB extension is needed. Once the load has
committed, `publish` uploads the load's parts to the same relative keys under the prefix, then
writes the load's manifest last (`_manifests/<stream>/run=<run_id>.json`, the parts it lists).

What a reader sees, as with the local directory:
- never a half-written part: an S3 object (single or multipart upload) appears whole when its
  upload completes, or never (pyarrow's S3 output stream completes it on close);
- a run's files together: nothing of a load is uploaded before it commits, the parts go up in one
  burst, and the manifest, written after the last part, says that they are all there. A reader
  that needs a run exactly reads the parts its manifest lists (`read_manifest`); names starting
  with `_` are skipped by pyarrow's dataset discovery, so `_manifests/` is no data.
A run killed before its load committed uploads nothing; one killed mid-upload leaves parts without
a manifest, which the rerun does not need (it uploads its own run again under its own run id).

Credentials come from the standard AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, or a
role); `AKENEO_S3_ENDPOINT_URL` points at an S3-compatible server (MinIO, Ceph, ...).
Reference: Apache Arrow's docs page "pyarrow.fs.S3FileSystem" (endpoint_override, scheme, region).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow.fs as pafs

from akeneo_pipeline.storage.parquet import check_run_id

MANIFESTS = "_manifests"


class ParquetUrlError(ValueError):
    """AKENEO_PARQUET_URL or AKENEO_S3_ENDPOINT_URL cannot be used; names the setting."""


def parse_parquet_url(url: str) -> tuple[str, str]:
    """`s3://bucket/prefix` -> (bucket, prefix without slashes at its ends)."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ParquetUrlError(f"AKENEO_PARQUET_URL must look like s3://bucket/prefix, got scheme {parts.scheme!r}")
    if parts.query or parts.fragment or "@" in parts.netloc:
        raise ParquetUrlError("AKENEO_PARQUET_URL takes no credentials, query or fragment: s3://bucket/prefix "
                              "(credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)")
    return parts.netloc, parts.path.strip("/")


class ObjectStore:
    """The Parquet datasets' copy under `s3://bucket/prefix`."""

    def __init__(self, url: str, endpoint_url: str | None = None, region: str | None = None) -> None:
        self.bucket, self.prefix = parse_parquet_url(url)
        self.url = url
        options: dict[str, str] = {}
        if endpoint_url:
            endpoint = urlsplit(endpoint_url)
            if endpoint.scheme not in ("http", "https") or not endpoint.netloc:
                raise ParquetUrlError(f"AKENEO_S3_ENDPOINT_URL must be an http(s) address, got {endpoint_url!r}")
            options.update(endpoint_override=endpoint.netloc, scheme=endpoint.scheme)
        if region:
            options["region"] = region
        self.fs = pafs.S3FileSystem(**options)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"ObjectStore({self.url!r})"

    def key(self, relative: str) -> str:
        """The object path (bucket/prefix/relative) of a path relative to the Parquet root."""
        return "/".join(part for part in (self.bucket, self.prefix, relative) if part)

    def publish(self, local_root: Path, stream: str, run_id: str, files: Sequence[Path]) -> str:
        """Upload `files` (under `local_root`) to their keys, then the load's manifest; returns its key."""
        relative = [Path(f).relative_to(local_root).as_posix() for f in files]
        for path, rel in zip(files, relative, strict=True):
            pafs.copy_files(str(path), self.key(rel), destination_filesystem=self.fs)
        manifest = self.key(f"{MANIFESTS}/{stream}/run={check_run_id(run_id)}.json")
        body = json.dumps({"stream": stream, "run_id": run_id, "parts": relative}, sort_keys=True).encode()
        with self.fs.open_output_stream(manifest) as sink:
            sink.write(body)
        return manifest

    def read_manifest(self, stream: str, run_id: str) -> list[str] | None:
        """The object paths of a published load's parts; None when its manifest is not there."""
        manifest = self.key(f"{MANIFESTS}/{stream}/run={check_run_id(run_id)}.json")
        if self.fs.get_file_info(manifest).type == pafs.FileType.NotFound:
            return None
        with self.fs.open_input_stream(manifest) as source:
            parts = json.loads(source.read())["parts"]
        return [self.key(rel) for rel in parts]

    def dataset_files(self, stream: str) -> list[str]:
        """Every visible part of a stream's dataset (what a pyarrow dataset over the prefix reads)."""
        selector = pafs.FileSelector(self.key(stream), recursive=True, allow_not_found=True)
        return sorted(info.path for info in self.fs.get_file_info(selector)
                      if info.type == pafs.FileType.File and info.base_name.endswith(".parquet")
                      and not any(part.startswith((".", "_")) for part in info.path.split("/")))

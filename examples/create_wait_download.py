"""Submit one request file, wait for the task, download the results.

    export UNIALL_API_KEY=...  UNIALL_BASE_URL=https://...   # or a local `uniall mock`
    python examples/create_wait_download.py videos examples/requests/seedance-text-to-video.json out/

RESOURCE is `videos`, `images` or `audio`: the section of the client the model belongs to.

The request file is a JSON body or an envelope {"method", "path", "body"} (as `uniall run` takes).
The client lints it first: a request the docs rule out raises `uniall.RequestInvalid` and nothing
is sent; linter warnings come as `uniall.RequestWarning` through Python's `warnings`.
"""

import json
import sys
from pathlib import Path

import uniall


def main(resource_name: str, request_file: str, out_dir: str) -> int:
    document = json.loads(Path(request_file).read_text(encoding="utf-8"))
    body = document["body"] if "body" in document and "path" in document else document
    endpoint = f"{document.get('method', 'POST')} {document['path']}" if body is not document else None
    with uniall.Client() as client:
        resource = getattr(client, resource_name)
        try:
            task = resource.create(**body, endpoint=endpoint)
        except uniall.RequestInvalid as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"submitted {task.id} ({task.status})")
        done = resource.wait(task, timeout=600)
        for path in resource.download(done, out_dir):
            print(f"saved {path}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("videos", "images", "audio"):
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3]))

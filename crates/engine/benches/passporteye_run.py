"""PassportEye's side of the MRZ accuracy benchmark (mrz_accuracy.rs).

Reads the image paths on stdin, one per line, runs passporteye.read_mrz on each in this one
process, and prints one JSON object per image on stdout: the path, the seconds read_mrz took,
and the MRZ fields PassportEye returned (or null when it found none). The first line is a
header with PassportEye's version, or the reason it cannot run. Run it with
OMP_THREAD_LIMIT=1 so that tesseract uses one core.
"""

import json
import sys
import time


def main():
    try:
        import passporteye
    except Exception as error:  # noqa: BLE001 - any import failure means "cannot run"
        print(json.dumps({"error": f"cannot import passporteye: {error}"}), flush=True)
        return 0
    version = getattr(passporteye, "__version__", "unknown")
    print(json.dumps({"passporteye": version}), flush=True)
    fields = (
        "mrz_type", "valid_score", "type", "country", "number", "nationality",
        "date_of_birth", "sex", "expiration_date", "surname", "names",
        "personal_number", "optional1", "optional2",
    )
    for raw in sys.stdin:
        path = raw.strip()
        if not path:
            continue
        start = time.perf_counter()
        error = None
        try:
            mrz = passporteye.read_mrz(path)
        except Exception as failure:  # noqa: BLE001 - reported per image, the run goes on
            mrz = None
            error = str(failure)
        seconds = time.perf_counter() - start
        found = None
        if mrz is not None:
            data = mrz.to_dict()
            found = {key: data.get(key) for key in fields if data.get(key) is not None}
            found = {key: (value if isinstance(value, (str, int, float, bool)) else str(value))
                     for key, value in found.items()}
        print(json.dumps({"path": path, "seconds": seconds, "mrz": found, "error": error}),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

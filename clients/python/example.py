"""python3 example.py BOOTSTRAP LAYOUT.png N SEED OUT_DIR: n samples of a class-id layout, written as PNGs.

The example of docs/clients.md; the project's test runs it against a real broker and generator.
"""
import os
import sys

from cimle_client import Client, GeneratorError


def main(bootstrap, layout, n, seed, out):
    os.makedirs(out, exist_ok=True)
    with open(layout, "rb") as f:
        layout_png = f.read()
    with Client(bootstrap) as client:
        try:
            result = client.generate(layout_png, n=n, seed=seed)
        except GeneratorError as e:
            print(f"refused: {e.code}: {e.message}")
            return 2
        for s in result.samples:
            with open(os.path.join(out, f"sample_{s.index:03d}.png"), "wb") as f:
                f.write(s.image)
        print(f"{len(result.samples)} samples of {result.request_id} (model {result.samples[0].model_version}, "
              f"seed {seed}) in {out}")
        # The same style again, from the code the reply carried: the same image.
        again = client.generate(layout_png, codes=[result.samples[0].code])
        print("same code, same image:", again.samples[0].image == result.samples[0].image)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]))

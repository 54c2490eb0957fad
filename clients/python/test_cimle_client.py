"""Tests of the Python client. Offline (python3 -m unittest test_cimle_client): de-duplication and errors on
replies made here. Against a real generator (CIMLE_BOOTSTRAP set; the project's PythonClientTest does it):
samples, a reused code, interpolation, a style reference and an error reply."""
import os
import unittest

from cimle_client import Client, GeneratorError, _Collected, pb


def sample(index, total, request_id="r"):
    return pb.SampleReply(sample=pb.GeneratedSample(request_id=request_id, index=index, total=total, image=b"x%d" % index))


class Collecting(unittest.TestCase):
    def test_repeats_are_dropped_by_index_and_the_answer_completes_at_total(self):
        c = _Collected()
        c.add(sample(1, 3))
        c.add(sample(0, 3))
        c.add(sample(1, 3))
        self.assertFalse(c.done())
        c.add(sample(2, 3))
        self.assertTrue(c.done())
        self.assertEqual(1, c.duplicates)
        self.assertEqual([0, 1, 2], sorted(c.samples))

    def test_an_error_reply_ends_the_answer(self):
        c = _Collected()
        c.add(pb.SampleReply(error=pb.ErrorReply(request_id="r", code=pb.LAYOUT_UNDECODABLE, message="not a PNG")))
        self.assertTrue(c.done())
        self.assertEqual("LAYOUT_UNDECODABLE", pb.ErrorCode.Name(c.error.code))


@unittest.skipUnless(os.environ.get("CIMLE_BOOTSTRAP"), "needs CIMLE_BOOTSTRAP and CIMLE_LAYOUT (a generator)")
class AgainstAGenerator(unittest.TestCase):
    def setUp(self):
        self.client = Client(os.environ["CIMLE_BOOTSTRAP"])
        with open(os.environ["CIMLE_LAYOUT"], "rb") as f:
            self.layout = f.read()

    def tearDown(self):
        self.client.close()

    def test_seed_codes_interpolation_style_and_errors(self):
        first = self.client.generate(self.layout, n=3, seed=11)
        self.assertEqual([0, 1, 2], [s.index for s in first.samples])
        self.assertEqual(first.samples[2].image, self.client.generate(self.layout, n=3, seed=11).samples[2].image,
                         "the same seed gives the same bytes")
        reused = self.client.generate(self.layout, codes=[first.samples[1].code])
        self.assertEqual(first.samples[1].image, reused.samples[0].image, "a reply's code reproduces its image")
        walk = self.client.interpolate(self.layout, first.samples[0].code, first.samples[2].code, steps=4)
        self.assertEqual(4, len(walk.samples))
        self.assertEqual(1.0, walk.samples[3].interpolation_t)
        self.assertEqual(first.samples[2].image, walk.samples[3].image, "the end frame is the end code's image")
        styled = self.client.generate(self.layout, n=2, style=(self.layout, first.samples[0].image), style_candidates=8)
        self.assertEqual(2, len(styled.samples))
        with self.assertRaises(GeneratorError) as refused:
            self.client.generate(b"not a png", n=1)
        self.assertEqual("LAYOUT_UNDECODABLE", refused.exception.code)
        with self.assertRaises(GeneratorError) as bad_map:
            self.client.generate(self.layout, n=1, instances_png=b"not a png")
        self.assertEqual("INSTANCE_MAP_INVALID", bad_map.exception.code)


if __name__ == "__main__":
    unittest.main()

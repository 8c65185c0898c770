"""course_lib.widgets.png: the explorers' PNG writer decodes (Pillow, which checks every
chunk's CRC) to exactly the pixels it was given, and refuses what it cannot encode."""

import io
import struct
import zlib

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from course_lib.widgets.png import SIGNATURE, encode_rgba


def decode(data: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.mode == "RGBA" and image.format == "PNG"
    return np.asarray(image)


@pytest.mark.parametrize("shape", [(1, 1, 4), (3, 5, 4), (37, 64, 4)])
@pytest.mark.parametrize("level", [0, 1, 9])
def test_random_pixels_decode_to_themselves(shape, level):
    pixels = np.random.default_rng(sum(shape) + level).integers(0, 256, shape, dtype=np.uint8)
    assert np.array_equal(decode(encode_rgba(pixels, level=level)), pixels)


def test_a_rendered_figure_decodes_to_the_canvas_pixels():
    fig = Figure(figsize=(3, 2), dpi=50)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [2, 0, 1], label="a line")
    ax.set_title("θ₁ and J(θ)")
    ax.legend()
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())
    assert pixels.shape == (100, 150, 4)
    data = encode_rgba(fig.canvas.buffer_rgba())
    assert np.array_equal(decode(data), pixels)
    # A plot is mostly flat background: deflate must shrink it a lot even unfiltered.
    assert len(data) < pixels.nbytes / 5


def test_the_header_chunk_says_width_height_and_eight_bit_rgba():
    data = encode_rgba(np.zeros((7, 11, 4), np.uint8))
    assert data[:8] == SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    assert struct.unpack(">IIBBBBB", data[16:29]) == (11, 7, 8, 6, 0, 0, 0)
    assert struct.unpack(">I", data[29:33])[0] == zlib.crc32(data[12:29])
    assert data.endswith(b"\x00\x00\x00\x00IEND" + struct.pack(">I", zlib.crc32(b"IEND")))


def test_a_non_contiguous_view_is_encoded_as_its_values():
    pixels = np.random.default_rng(3).integers(0, 256, (10, 20, 4), dtype=np.uint8)
    view = pixels[::2, ::3]
    assert np.array_equal(decode(encode_rgba(view)), view)


@pytest.mark.parametrize("pixels, message", [
    (np.zeros((4, 4, 3), np.uint8), r"\(height, width, 4\) uint8 array, got shape \(4, 4, 3\)"),
    (np.zeros((4, 4), np.uint8), "got shape"),
    (np.zeros((4, 4, 4), np.float64), "dtype float64"),
    (np.zeros((0, 4, 4), np.uint8), "at least one row and column"),
])
def test_pixels_that_are_not_an_rgba_image_are_refused(pixels, message):
    with pytest.raises(ValueError, match=message):
        encode_rgba(pixels)


@pytest.mark.parametrize("level", [-1, 10, 1.0, True, "1"])
def test_a_level_outside_zlibs_range_is_refused(level):
    with pytest.raises(ValueError, match="level must be an integer from 0 to 9"):
        encode_rgba(np.zeros((2, 2, 4), np.uint8), level=level)

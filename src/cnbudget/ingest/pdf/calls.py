"""PDFium functions called once per character or page object, without ctypes' argument checks.

pypdfium2's raw bindings declare argument types, so every call converts and checks each argument;
for the few functions the reader calls hundreds of thousands of times per document that checking
costs about as much as PDFium's own work. The same C functions, called through a prototype that
declares only the result type, take the page handle, an int and ``ctypes.byref`` pointers as they
are, at half the cost. Only the functions below are called this way, and only with those arguments.
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2.raw as pdfium_c


def _bare(function: Any) -> Any:
    """The same C function through a prototype with its result type and no declared arguments."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    if not address:  # pypdfium2 resolves every binding when it loads; this never happens with a working PDFium
        raise ImportError(f"PDFium function {function!r} has no address")
    return ctypes.CFUNCTYPE(function.restype)(address)


# per character of a text page
text_matrix = _bare(pdfium_c.FPDFText_GetMatrix)
font_size = _bare(pdfium_c.FPDFText_GetFontSize)
loose_box = _bare(pdfium_c.FPDFText_GetLooseCharBox)
char_origin = _bare(pdfium_c.FPDFText_GetCharOrigin)
# per page object
object_type = _bare(pdfium_c.FPDFPageObj_GetType)
page_object = _bare(pdfium_c.FPDFPage_GetObject)
form_object = _bare(pdfium_c.FPDFFormObj_GetObject)
# per path or image object
draw_mode = _bare(pdfium_c.FPDFPath_GetDrawMode)
fill_color = _bare(pdfium_c.FPDFPageObj_GetFillColor)
stroke_color = _bare(pdfium_c.FPDFPageObj_GetStrokeColor)
count_segments = _bare(pdfium_c.FPDFPath_CountSegments)
object_bounds = _bare(pdfium_c.FPDFPageObj_GetBounds)

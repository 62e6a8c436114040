"""Photos: every image a release uses is published as responsive, metadata-free derivatives.

probe (at parse: read, hash, check) → plan (the Photo with its rendition URLs) → derive
(Pillow, in worker processes, cached in .sitegen-cache/images/) → outputs (the files) and
markup (``<picture>`` for images in the Markdown body). ``clean`` strips metadata from every
raster file the static copier publishes.
"""

import warnings

# Pillow's asides about a file it reads anyway ("appears to be a malformed MPO file") are no
# message of sitegen's; what it cannot read is said in sitegen's words, at the file's line.
warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")

"""How each kind of output is made from a source: audio (loudness-normalised), the video
ladder (one decode, every rung), pictures (poster, thumbnail, waveform)."""

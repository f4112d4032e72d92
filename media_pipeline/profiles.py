"""Named output profiles, stable like Wagtail's image filter specs: a rendition is unique per
(source, profile name). The names are a public contract (stations and delivery use them);
the encoding parameters behind each name live here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Profile:
    name: str
    applies_to: tuple[str, ...]  # media kinds this profile is made for: "audio", "video"
    container: str
    mime_type: str
    description: str  # for editors (the admin's inspect page), translatable
    params: dict = field(default_factory=dict)
    # What the output is: "audio" (needs a sound track), "video", "image", "hls".
    output: str = "audio"

    @property
    def extension(self) -> str:
        return self.params.get("extension", self.container)


# x264 settings shared by every video rung, so a rung made alone (or by a peer in the
# benchmark) is byte-for-byte the same recipe as one made in the ladder.
X264 = {"preset": "veryfast", "pix_fmt": "yuv420p", "keyframe_seconds": 2, "max_fps": 30}
# The video rungs' sound. Phones and the support-point TV are heard in noisy public places,
# like the loudspeakers: -16 LUFS (the level phone platforms play streams at), so a bulletin
# video is as loud as the radio one; true peak <= -1 dBTP like every audio profile.
SOUNDTRACK = {"target_lufs": -16.0, "true_peak": -1.0, "audio_channels": 2,
              "audio_sample_rate": 48000}

# What 128 kb/s MP3 usually takes away (it drops masked noise: 0.4–0.6 LU on speech, tones
# and music alike): the first guess of its make-up when a source is too short to excerpt;
# the output's own reading corrects it. Opus at 24 kb/s has none: it loses ~0 LU on tones
# and ~1 LU on speech.
MP3_LOSS_GUESS_DB = 0.5

PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile("radio-loudspeaker", ("audio", "video"), "mp3", "audio/mpeg",
                _("Loa truyền thanh xã: MP3 44,1 kHz CBR 128 kb/s mono, −16 LUFS, "
                  "đỉnh thực ≤ −1 dBTP"),
                {"codec": "libmp3lame", "bitrate": "128k", "sample_rate": 44100, "channels": 1,
                 "cbr": True, "target_lufs": -16.0, "true_peak": -1.0,
                 "loss_guess_db": MP3_LOSS_GUESS_DB}),
        Profile("radio-provincial", ("audio", "video"), "mp3", "audio/mpeg",
                _("Đài PT-TH tỉnh: MP3 44,1 kHz CBR 128 kb/s stereo, EBU R128 −23 LUFS"),
                {"codec": "libmp3lame", "bitrate": "128k", "sample_rate": 44100, "channels": 2,
                 "cbr": True, "target_lufs": -23.0, "true_peak": -1.0,
                 "loss_guess_db": MP3_LOSS_GUESS_DB}),
        Profile("broadcast-master", ("audio", "video"), "mp2", "audio/mpeg",
                _("Bản gốc phát sóng: MPEG-1 Layer II 256 kb/s 48 kHz stereo, EBU R128 "
                  "−23 LUFS"),
                {"codec": "mp2", "bitrate": "256k", "sample_rate": 48000, "channels": 2,
                 "cbr": True, "target_lufs": -23.0, "true_peak": -1.0}),
        Profile("broadcast-master-wav", ("audio", "video"), "wav", "audio/wav",
                _("Bản gốc phát sóng: WAV PCM 16 bit 48 kHz stereo, EBU R128 −23 LUFS"),
                {"codec": "pcm_s16le", "sample_rate": 48000, "channels": 2,
                 "target_lufs": -23.0, "true_peak": -1.0}),
        Profile("phone-audio", ("audio", "video"), "ogg", "audio/ogg",
                _("Điện thoại mạng 2G/3G: Opus 24 kb/s mono (VBR có giới hạn), −16 LUFS, "
                  "đỉnh thực ≤ −1 dBTP"),
                {"codec": "libopus", "bitrate": "24k", "sample_rate": 48000, "channels": 1,
                 "target_lufs": -16.0, "true_peak": -1.0, "peak_margin": 3.0,
                 # Constrained VBR: libopus's plain VBR ran to 39 kb/s on a tonal 8 kHz
                 # phone clip; constrained stays at about the stated rate.
                 "vbr": "constrained", "extension": "opus",
                 "format": "ogg"}),
        Profile("kiosk-1080", ("video",), "mp4", "video/mp4",
                _("TV ở điểm hỗ trợ: H.264 tới 1080p, AAC, phát ngay khi tải (faststart)"),
                {**X264, **SOUNDTRACK, "max_height": 1080, "crf": 21, "maxrate": "6M",
                 "bufsize": "12M", "h264_profile": "high", "audio_bitrate": "128k",
                 # At 128 kb/s ffmpeg's "fast" AAC coder sounds at least as good as its
                 # default "twoloop" (its authors' finding) for ~60% of the CPU.
                 "aac_coder": "fast", "max_bit_rate": 8_000_000},
                output="video"),
        Profile("phone-360", ("video",), "mp4", "video/mp4",
                _("Điện thoại: H.264 360p, AAC 64 kb/s, phát ngay khi tải"),
                {**X264, **SOUNDTRACK, "max_height": 360, "crf": 26, "maxrate": "800k",
                 "bufsize": "1600k", "h264_profile": "main", "audio_bitrate": "64k",
                 "max_bit_rate": 1_000_000},
                output="video"),
        Profile("phone-240", ("video",), "mp4", "video/mp4",
                _("Điện thoại: H.264 240p, AAC 48 kb/s, phát ngay khi tải"),
                {**X264, **SOUNDTRACK, "max_height": 240, "crf": 28, "maxrate": "400k",
                 "bufsize": "800k", "h264_profile": "main", "audio_bitrate": "48k",
                 "max_bit_rate": 550_000},
                output="video"),
        Profile("hls", ("video",), "m3u8", "application/vnd.apple.mpegurl",
                _("HLS cho điện thoại và trình duyệt: fMP4, đoạn 4 giây, từ các bản trên"),
                {"segment_seconds": 4}, output="hls"),
        Profile("poster", ("video",), "jpg", "image/jpeg",
                _("Ảnh đại diện: một khung hình tiêu biểu (không đen), rộng tối đa 1280 px"),
                {"max_width": 1280}, output="image"),
        Profile("thumbnail", ("video",), "webp", "image/webp",
                _("Ảnh nhỏ làm từ ảnh đại diện, rộng 320 px"),
                {"max_width": 320}, output="image"),
        Profile("waveform", ("audio",), "png", "image/png", _("Hình dạng sóng âm thanh"),
                {"size": "1200x200", "color": "#1f5f8b"}, output="image"),
    )
}

# What the stations can choose to receive.
STATION_AUDIO_PROFILES = ("radio-loudspeaker", "radio-provincial", "broadcast-master",
                          "broadcast-master-wav")
VIDEO_LADDER = ("kiosk-1080", "phone-360", "phone-240")


def profiles_for(kind: str, *, has_audio: bool = True) -> list[Profile]:
    """Profiles an item of ``kind`` gets; a video without sound gets no audio outputs."""
    return [
        p for p in PROFILES.values()
        if kind in p.applies_to and (has_audio or p.output != "audio")
    ]


def soundtrack(rung: Profile) -> Profile:
    """A video rung's sound described as an audio profile (AAC in ADTS), so it is measured,
    gained, excerpt-tested and metered like the audio outputs."""
    p = rung.params
    return Profile(f"{rung.name}-sound", ("video",), "aac", "audio/aac",
                   f"{rung.name} (âm thanh)",
                   {"codec": "aac", "bitrate": p["audio_bitrate"],
                    "sample_rate": p["audio_sample_rate"], "channels": p["audio_channels"],
                    "target_lufs": p["target_lufs"], "true_peak": p["true_peak"],
                    "format": "adts",
                    **({"aac_coder": p["aac_coder"]} if "aac_coder" in p else {})})

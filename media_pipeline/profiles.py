"""Named output profiles, stable like Wagtail's image filter specs: a rendition is unique per
(source, profile name). The names are a public contract (stations and delivery use them);
the encoding parameters behind each name live here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Profile:
    name: str
    applies_to: tuple[str, ...]  # media kinds this profile is made for: "audio", "video"
    container: str
    mime_type: str
    description: str
    params: dict = field(default_factory=dict)


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile("radio-loudspeaker", ("audio", "video"), "mp3", "audio/mpeg",
                "Commune loudspeaker radio: MP3 44.1 kHz CBR 128 kb/s, -16 LUFS, TP <= -1 dBTP",
                {"bitrate": "128k", "target_lufs": -16.0, "true_peak": -1.0}),
        Profile("radio-provincial", ("audio", "video"), "mp3", "audio/mpeg",
                "Provincial radio-TV: MP3 44.1 kHz CBR 128 kb/s, EBU R128 -23 LUFS",
                {"bitrate": "128k", "target_lufs": -23.0, "true_peak": -1.0}),
        Profile("broadcast-master", ("audio", "video"), "mp2", "audio/mpeg",
                "Broadcast master: MPEG-1 Layer II 256 kb/s, EBU R128 -23 LUFS",
                {"bitrate": "256k", "target_lufs": -23.0, "true_peak": -1.0}),
        Profile("broadcast-master-wav", ("audio", "video"), "wav", "audio/wav",
                "Broadcast master: 16-bit PCM WAV 48 kHz, EBU R128 -23 LUFS",
                {"target_lufs": -23.0, "true_peak": -1.0}),
        Profile("phone-audio", ("audio", "video"), "ogg", "audio/ogg",
                "Phones on 2G/3G: Opus 24 kb/s mono",
                {"bitrate": "24k", "target_lufs": -16.0, "true_peak": -1.0}),
        Profile("kiosk-1080", ("video",), "mp4", "video/mp4",
                "Support-point TV: H.264 up to 1080p, AAC, faststart", {"max_height": 1080}),
        Profile("phone-360", ("video",), "mp4", "video/mp4",
                "Phones: H.264 360p", {"max_height": 360}),
        Profile("phone-240", ("video",), "mp4", "video/mp4",
                "Phones: H.264 240p", {"max_height": 240}),
        Profile("poster", ("video",), "jpg", "image/jpeg", "Poster frame"),
        Profile("thumbnail", ("video",), "webp", "image/webp", "Small thumbnail"),
        Profile("waveform", ("audio",), "png", "image/png", "Audio waveform picture"),
    )
}

# What the stations can choose to receive.
STATION_AUDIO_PROFILES = ("radio-loudspeaker", "radio-provincial", "broadcast-master",
                          "broadcast-master-wav")


def profiles_for(kind: str) -> list[Profile]:
    return [p for p in PROFILES.values() if kind in p.applies_to]

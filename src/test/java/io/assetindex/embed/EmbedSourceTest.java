package io.assetindex.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.util.Json;
import org.junit.jupiter.api.Test;

class EmbedSourceTest {

    @Test
    void namesFoldersAndFactsBecomePhrases() {
        var facts = Json.read("""
                {"probe": {"width": 4000, "height": 3000, "camera_make": "DJI", "camera_model": "FC3582",
                           "captured_at": "2026-07-14T18:03:11"}}""");
        String text = EmbedSource.build("ACME-042/aerials/DJI_0042-beachSunset.JPG", "ACME-042", "image", facts);
        assertThat(text).isEqualTo("dji 0042 beach sunset. in acme 042 / aerials. job acme 042. large landscape image."
                + " shot on DJI FC3582. taken 2026-07-14");
    }

    @Test
    void durationAndAudioTagsAreIncluded() {
        var facts = Json.read("""
                {"probe": {"duration_seconds": 185.2, "tags": {"title": "Night Drive", "artist": "Ana", "genre": "Synthwave"}}}""");
        String text = EmbedSource.build("music/night_drive.mp3", null, "audio", facts);
        assertThat(text).isEqualTo("night drive. in music. audio. 3 minutes long. title Night Drive. artist Ana."
                + " genre Synthwave");
    }

    @Test
    void aShortClipSaysSoAndWhatAnAiDescriberFoundIsIncluded() {
        var facts = Json.read("""
                {"probe": {"width": 1080, "height": 1920, "duration_seconds": 6.4},
                 "describe": {"summary": "A drone flies over a rocky coast.", "tags_json": ["coast", "drone"],
                              "mood_json": ["calm"], "audio_role": "voice_over"},
                 "transcribe": {"transcript": "Welcome to the coast."}}""");
        String text = EmbedSource.build("clip.mp4", null, "video", facts);
        assertThat(text).isEqualTo("clip. medium portrait video. 6 seconds long, a short clip. A drone flies over a"
                + " rocky coast. tags: coast, drone. mood: calm. voice over. says: Welcome to the coast");
    }

    @Test
    void aVeryLongTextIsCut() {
        var facts = Json.read("{\"transcribe\": {\"transcript\": \"" + "word ".repeat(2000) + "\"}}");
        assertThat(EmbedSource.build("talk.wav", null, "audio", facts)).hasSize(2000);
    }
}

// The Edge engine refuses a voice name that would rewrite its SSML request (node-edge-tts puts
// the name into `<voice name="…">` unescaped). Nothing here touches the network.
import { describe, expect, it } from "vitest";
import { createEdgeEngine } from "../../src/tts/edge.js";

const settings = { language: "en-US", concurrency: 1, timeoutMs: 1000 };

describe("Edge voice names", () => {
  it.each(['en-US-AriaNeural"><audio src="http://x"/><voice name="x', "en-US<Aria>", "en-US-Aria\u0000", "a&b", ""])("refuses %j with a one-line CONFIG error", async (voice) => {
    await expect(createEdgeEngine({ ...settings, voice })).rejects.toMatchObject({
      code: "CONFIG",
      message: expect.stringMatching(/^Expected `--voice` to be an Edge voice name/),
    });
  });

  it.each(["en-US-AriaNeural", "Microsoft Server Speech Text to Speech Voice (en-US, AriaNeural)"])("accepts %j", async (voice) => {
    const engine = await createEdgeEngine({ ...settings, voice });
    expect(engine.description.voice).toBe(voice);
    await engine.close();
  });
});

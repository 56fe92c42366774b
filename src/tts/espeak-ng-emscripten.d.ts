// The part of @echogarden/espeak-ng-emscripten (an emscripten build, shipped without types)
// that the audio worker uses.
declare module "@echogarden/espeak-ng-emscripten" {
  /** One espeak event, read from the WASM heap (`wrapPointer(pointer, module.espeak_EVENT)`). */
  export interface EspeakEvent {
    get_type(): number;
    /** 1-based position in the text, in code points. */
    get_text_position(): number;
    /** Milliseconds from the start of the `synth_` call. */
    get_audio_position(): number;
  }

  export interface EspeakVoice {
    readonly name: string;
    readonly identifier: string;
    readonly languages: readonly { readonly priority: number; readonly name: string }[];
  }

  export interface EspeakWorker {
    list_voices(): EspeakVoice[];
    getSizeOfEventStruct_(): number;
    /** Synthesizes `text`, calling the function registered with `addFunction` per chunk. */
    synth_(text: string, callback: number): void;
    /** 0 on success. */
    set_voice(voice: string): number;
    set_rate(wordsPerMinute: number): void;
    get_samplerate(): number;
  }

  export interface EspeakModule {
    readonly eSpeakNGWorker: new () => EspeakWorker;
    readonly HEAP16: Int16Array;
    readonly HEAPU8: Uint8Array;
    readonly espeak_EVENT: unknown;
    readonly espeakEVENT_LIST_TERMINATED: number;
    readonly espeakEVENT_WORD: number;
    readonly espeakEVENT_SENTENCE: number;
    /** Registers a JavaScript function in the WASM table; returns its index. */
    addFunction(callback: (audioPointer: number, count: number, eventsPointer: number) => number, signature?: string): number;
    wrapPointer(pointer: number, type: unknown): EspeakEvent;
  }

  export interface EspeakModuleOptions {
    getPreloadedPackage?(name: string, size: number): ArrayBuffer;
    printErr?(text: string): void;
  }

  const createModule: (options?: EspeakModuleOptions) => Promise<EspeakModule>;
  export default createModule;
}

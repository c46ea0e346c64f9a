import { inspect } from 'node:util';

/**
 * A secret setting value. It prints as `[secret]` in logs, JSON and `util.inspect`; call `reveal()` where it is used.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    Object.freeze(this);
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[secret]';
  }

  toJSON(): string {
    return '[secret]';
  }

  [inspect.custom](): string {
    return 'Secret([secret])';
  }
}

// opencc-js ships types whose relative imports lack file extensions, which NodeNext resolution cannot follow
// (everything becomes an error type); this declares the one function Arrears uses.
declare module 'opencc-js/t2cn' {
  export function Converter(options: { from: string; to: string }): (text: string) => string;
}

// Vite's asset imports, as the browser tests use them.
declare module "*?raw" {
  const text: string;
  export default text;
}
declare module "*?url" {
  const url: string;
  export default url;
}

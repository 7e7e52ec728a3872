// A runtime without Node's built-in modules (a browser, an edge worker): resolving one fails.
export async function resolve(specifier, context, next) {
  if (specifier.startsWith("node:") && context.parentURL && !context.parentURL.endsWith("/load_without_node.mjs")) {
    throw new Error(`no ${specifier} here`);
  }
  return next(specifier, context);
}

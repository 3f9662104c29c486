// htm turns tagged templates into preact elements: no build step, no JSX.
import { h } from "preact";
import htm from "htm";

export const html = htm.bind(h);

// One way to call the API: same origin, the session's bearer token, the API's error format as ApiError.
import { storedToken } from "./session.js";

export class ApiError extends Error {
  constructor(status, code, message, details = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let onUnauthorized = () => {};

export function whenUnauthorized(callback) {
  onUnauthorized = callback;
}

export async function api(method, path, body, headers = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers } };
  const token = storedToken();
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (failure) {
    throw new ApiError(0, "network_error", `The API could not be reached (${failure.message}).`);
  }
  const data = await readJson(response);
  if (response.ok) return data;
  const error = (data && data.error) || {};
  const refused = new ApiError(response.status, error.code || `http_${response.status}`,
    error.message || (data && data.message) || `The API answered ${response.status}.`, error.details || []);
  if (response.status === 401) onUnauthorized(refused);
  throw refused;
}

async function readJson(response) {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

// `{field: message}` from a validation error's details ("body.votes_to_win" and "votes_to_win" alike).
export function fieldErrors(error) {
  const found = {};
  for (const detail of (error && error.details) || []) {
    const field = String(detail.field || "").split(".").pop();
    if (field) found[field] = found[field] ? `${found[field]}; ${detail.message}` : detail.message;
  }
  return found;
}

export function newIdempotencyKey() {
  return crypto.randomUUID();
}

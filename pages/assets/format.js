// Text for the room page: durations, times of day in the viewer's zone, and elements that
// hold text only (user-supplied text never becomes markup).
const MINUTE_MS = 60000;

function twoDigits(n) {
  return String(n).padStart(2, "0");
}

/** Milliseconds left as "mm:ss", rounded up so that 00:00 means the time is really over. */
function formatLeft(ms) {
  const seconds = Math.ceil(Math.max(0, ms) / 1000);
  return `${twoDigits(Math.floor(seconds / 60))}:${twoDigits(seconds % 60)}`;
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });

function clockTime(ms) {
  return timeOfDay.format(ms);
}

function kindName(type) {
  return type === "BREAKTIMER" ? "Break" : "Work";
}

function textElement(tag, className, text) {
  const element = document.createElement(tag);
  element.className = className;
  element.textContent = text;
  return element;
}

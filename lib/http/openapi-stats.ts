// The OpenAPI document's schemas of a team's rotation statistics (GET /api/rooms/{room}/stats):
// lib/domain/rotation-stats.ts's RotationReport, field for field.
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const day = { type: "string", format: "date", description: "a UTC day" };
const minutes = { type: "number", description: "minutes, to a tenth" };
/** An object with exactly these fields, all of them present. */
const record = (properties: Record<string, Schema>, description: string): Schema => ({
  type: "object",
  required: Object.keys(properties),
  properties,
  additionalProperties: false,
  description,
});

const dayFields = {
  people: { type: "array", items: ref("PersonStats"), description: 'sorted by name; names taken out (and all, with ROOM_STATS=false) count as one "someone"' },
  breaks: { type: "integer" },
  breakMinutes: minutes,
  longestStretchMinutes: { ...minutes, description: "the longest work without a break, within the day" },
  rounds: { type: "integer", description: "full rounds completed: every member present had a turn" },
};

export const statsSchemas: Record<string, Schema> = {
  RotationReport: record(
    {
      room: { type: "string" },
      from: day,
      to: day,
      days: { type: "array", items: ref("DayStats"), description: "every day of the range, oldest first; a day without turns has zeros" },
      total: record(dayFields, "summed over the range; waits merged"),
    },
    "a team's rotation over the last days (a turn counts on the day it started, once it ended)",
  ),
  DayStats: record({ day, ...dayFields }, "one UTC day of the rotation"),
  PersonStats: record(
    {
      name: { type: "string" },
      turns: { type: "integer", description: "timers that ran a minute or more" },
      workMinutes: minutes,
      nextTurn: {
        oneOf: [
          { type: "null" },
          record(
            { count: { type: "integer" }, averageMinutes: minutes, minMinutes: minutes, maxMinutes: minutes },
            "from the end of one turn to the start of the same person's next, within a day",
          ),
        ],
      },
    },
    "one person's turns",
  ),
};

// Random room names, `<adjective>-<animal>-<NN>`, from word lists of our own: friendly,
// lowercase, easy to say aloud to a colleague.
import { after, type Later } from "../later.ts";

export const ADJECTIVES: readonly string[] = `
agile amber ample autumn bold brave breezy bright brisk bubbly calm candid cheerful chipper
clever cosmic cozy crisp curious dapper daring dashing dazzling eager earnest easy electric
elegant epic fair fancy fearless festive fluffy fond frank fresh friendly frosty gentle giddy
glad gleaming golden graceful grand groovy happy hardy hearty helpful honest humble jolly
jovial joyful keen kind lively lucky lunar mellow merry mighty misty modest neat nifty nimble
noble patient peaceful perky plucky polite proud quick quiet radiant rapid ready rosy rustic
shiny silent silver simple sleek smart snappy snowy sparkly speedy spry steady sunny super
swift tidy tranquil trusty upbeat valiant velvet vivid warm wise witty zany zealous zesty
`.trim().split(/\s+/);

export const ANIMALS: readonly string[] = `
alpaca badger beaver bison bobcat buffalo camel capybara caribou cheetah chipmunk cobra
condor cougar coyote crane cricket dingo dolphin donkey dove duck eagle eel elk emu falcon
ferret finch flamingo fox frog gazelle gecko gerbil giraffe goat goose gopher gorilla hamster
hare hawk hedgehog heron hippo horse hyena ibis iguana impala jackal jaguar jay kangaroo
kiwi koala lemur leopard lion llama lobster lynx magpie manatee marmot meerkat mink mole
moose narwhal newt ocelot octopus orca osprey otter owl ox panda panther parrot pelican
penguin pigeon platypus puffin puma quail rabbit raccoon raven reindeer robin salmon seal
shark sloth sparrow squid squirrel stork swan tapir tiger toucan turtle walrus wombat yak zebra
`.trim().split(/\s+/);

/** A random integer in [0, n); injectable so that tests can choose the names. */
export type RandomInt = (n: number) => number;

export const randomInt: RandomInt = (n) => Math.floor(Math.random() * n);

function pick<T>(list: readonly T[], random: RandomInt): T {
  return list[random(list.length)]!;
}

/** A random room name; over 900,000 names exist. */
export function randomRoomName(random: RandomInt = randomInt): string {
  return `${pick(ADJECTIVES, random)}-${pick(ANIMALS, random)}-${10 + random(90)}`;
}

/**
 * A suggested name that `taken` says nobody uses. After `tries` taken ones (with over
 * 900,000 names the first is nearly always free) the last one drawn is given all the same.
 */
export function freshRoomName(taken: (name: string) => Later<boolean>, random: RandomInt = randomInt, tries = 20): Later<string> {
  const name = randomRoomName(random);
  return after(taken(name), (used) => (used && tries > 1 ? freshRoomName(taken, random, tries - 1) : name));
}

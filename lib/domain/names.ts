// Random room names, `<adjective>-<animal>-<NN>`, from word lists of our own: friendly,
// lowercase, easy to say aloud to a colleague. The lists are long and the draw comes from
// the operating system's random source, so that a suggested name cannot be guessed: about
// 22 million names, and no sequence of earlier suggestions tells the next.

export const ADJECTIVES: readonly string[] = `
able active adept agile airy alert alive amber amiable ample amused apt arctic ardent artful astute
atomic august autumn avid awake aware azure balmy bashful beaming bold bonny bouncy brainy brave
breezy bright brilliant brisk bronze bubbly buoyant busy buttery calm candid capable carefree caring
casual cerulean charming cheerful cheery chief chipper chirpy chummy civil classic clean clear
clever cloudy coastal cobalt cocoa comfy comic content cool copper coral cordial cosmic cosy cozy
crafty creamy crimson crisp cuddly curious curly cushy cyan dainty dandy dapper daring darling
dashing dawn dazzling decent deft delightful devoted dewy diligent dinky direct discreet distinct
dizzy docile dotty dreamy driven dusky dusty dynamic eager early earnest earthy easy ebony eclectic
elated electric elegant emerald eminent enchanted endless energetic epic equal even exact excited
expert fabulous fair faithful famous fancy fast fearless feisty festive fiery fine firm fit flashy
fleet flexible floral fluent fluffy flying focused fond formal fortunate free fresh friendly frisky
frosty frugal fruity full funny fuzzy gallant game generous gentle genuine giant giddy gifted gilded
ginger glad gleaming glossy glowing golden good graceful gracious grand grateful great green groovy
grounded growing handy happy hardy harmonic hazel healthy hearty helpful heroic hidden honest honey
hopeful hot humble humorous hushed icy ideal idle indigo inky innate inner intent inventive iron
ivory jade jaunty jazzy jolly jovial joyful joyous jubilant juicy jumbo just keen kind kindly
kinetic knowing lacy large laser lavish leafy legal lemon level light likely lilac limber lime linen
literate little lively local lofty logical long loud lovely loyal lucid lucky lunar lush lyrical
magic magnetic main majestic mannerly maple marble mature mellow merry meteor mighty mild mindful
mint mirthful misty modern modest moonlit mossy musical mutual native natural navy neat nectar nervy
new next nice nifty nimble noble normal northern novel oaken obliging ocean olive open optimal
orange orderly organic ornate outgoing patient peachy pearly peppy perfect perky pine placid plaid
playful pleasant plucky plum plush poetic polar polished polite popular posh positive precise
premium pretty prime prized prompt proper proud prudent puffy punctual pure purple quaint quick
quiet quirky radiant rainy rapid rare ready real regal relaxed reliable resolute restful rich right
ripe robust rocky rosy rouge round royal ruby rugged rustic sage salty sandy sapphire savvy scarlet
scenic secret secure serene sharp shiny silent silken silky silver simple sincere skilled sleek
slick smart smiling smooth snappy snowy snug soft solar solid sonic sound spare sparkly speedy spicy
spiffy spirited splendid spotless spruce spry square stable starry steady stellar sterling still
stoic stout striking strong sturdy suave subtle sugary sunlit sunny super superb supple sure swank
sweet swift tactful talented tall tangy tawny teal tender terrific thankful thorough thrifty tidal
tidy timely tiny tireless titanic toasty topaz tough tranquil tribal trim trusty truthful tuneful
twinkly ultra unique united upbeat upright urban useful valiant valid vast velvet venerable verdant
vibrant vigilant violet vital vivid vocal warm wavy wealthy welcome whimsical whole wild willing
windy winning winsome wintry wise witty wonderful wooden woolly worthy young youthful zany zealous
zen zesty zippy
`.trim().split(/\s+/);

export const ANIMALS: readonly string[] = `
aardvark addax adder agouti albatross alligator alpaca anchovy angelfish anole ant anteater antelope
ape armadillo asp auk avocet axolotl baboon badger bandicoot barnacle barracuda basilisk bass bat
beagle bear beaver bee beetle beluga betta bison blackbird bluebird bluejay boa boar bobcat bobolink
bonobo booby bream buffalo bulldog bullfrog bumblebee bunny bunting burbot bushbaby butterfly
buzzard caiman camel canary capybara caracal cardinal caribou carp cassowary cat caterpillar catfish
cattle cavy chameleon chamois char cheetah chickadee chicken chimp chinchilla chipmunk chough cicada
civet clam clownfish coati cobra cockatoo cockle cod collie condor conger coot copperhead coral
corgi cormorant cougar cow cowbird coyote crab crane crayfish cricket crocodile crow cuckoo curlew
cuttlefish dachshund dalmatian damselfly deer degu dingo dipper dodo dog dolphin donkey dormouse
dotterel dove dragonfly drake dromedary duck dugong dunlin dunnock eagle earwig echidna eel egret
eider eland elephant elk emu ermine falcon ferret finch firefly flamingo flounder fly flycatcher
fossa fox frog fulmar gannet gar gaur gazelle gecko gerbil gharial gibbon giraffe gnat gnu goat goby
godwit goldfinch goldfish goose gopher gorilla goshawk grackle grasshopper grebe greyhound grouse
grunion guanaco gudgeon guillemot gull guppy haddock hake halibut hamster hare harrier hawk
hedgehog heron herring hippo hoopoe hornbill hornet horse hound hummingbird husky hyena hyrax ibex
ibis iguana impala indri jacana jackal jackdaw jaguar jay jellyfish jerboa junco kakapo kangaroo
katydid kea kestrel killdeer kingfisher kinkajou kite kiwi koala kodiak koi kookaburra krill kudu
labrador ladybird lamprey lapwing lark lemming lemur leopard limpet linnet lion lionfish lizard
llama lobster locust loon loris lory lovebird lynx lyrebird macaque macaw mackerel magpie mallard
mamba manatee mandrill manta mantis margay marlin marmoset marmot marten martin mastiff mayfly
meerkat merganser merlin midge mink minnow mite mockingbird mole mollusk mongoose monkey moorhen
moose moth mouse mudskipper mule mullet muskox mussel mustang narwhal newt nighthawk nightingale
numbat nuthatch nutria ocelot octopus okapi olm opossum orangutan orca oriole oryx osprey ostrich
otter ouzel owl ox oyster oystercatcher paca panda pangolin panther parakeet parrot partridge
peacock pelican penguin perch peregrine petrel pheasant pig pigeon pika pike pipit piranha platypus
plover polecat pollock pony poodle porcupine porpoise possum prawn puffin pug puma python quagga
quail quetzal quokka quoll rabbit raccoon rail ram rat rattlesnake raven ray redstart reindeer rhea
rhino roadrunner robin rook rooster sable salamander salmon sandpiper sardine sawfish scallop
scorpion seahorse seal serval shark sheep shrew shrimp siskin skate skink skua skunk skylark sloth
slug smelt snail snapper snipe sole sparrow spider sponge springbok squid squirrel starfish starling
stingray stoat stork sturgeon sunbird sunfish swallow swan swift swordfish tahr takin tamarin
tanager tapir tarantula tarpon tarsier tern terrapin terrier thrasher thrush tiger toad tortoise
toucan towhee trout tuatara tuna turbot turkey turtle uakari urchin vicuna viper vireo vole vulture
wahoo wallaby walrus warbler warthog wasp waxwing weasel weevil whale whimbrel whippet wildcat
wildebeest wolf wolverine wombat woodchuck woodcock woodpecker wren yak yellowhammer zebra zebu
zorilla
`.trim().split(/\s+/);

/** A random integer in [0, n); injectable so that tests can choose the names. */
export type RandomInt = (n: number) => number;

const draw = new Uint32Array(1);

/**
 * Unpredictable, unlike Math.random, whose state can be recovered from a few outputs. Draws
 * above the largest multiple of n are drawn again, so that every value is equally likely.
 */
export const randomInt: RandomInt = (n) => {
  const limit = 2 ** 32 - (2 ** 32 % n);
  for (;;) {
    crypto.getRandomValues(draw);
    if (draw[0]! < limit) return draw[0]! % n;
  }
};

function pick<T>(list: readonly T[], random: RandomInt): T {
  return list[random(list.length)]!;
}

/** A random room name; about 22 million exist. */
export function randomRoomName(random: RandomInt = randomInt): string {
  return `${pick(ADJECTIVES, random)}-${pick(ANIMALS, random)}-${10 + random(90)}`;
}

/**
 * A suggested name that `taken` says nobody uses. After `tries` taken ones (with about 22
 * million names the first is nearly always free) the last one drawn is given all the same.
 */
export async function freshRoomName(taken: (name: string) => Promise<boolean>, random: RandomInt = randomInt, tries = 20): Promise<string> {
  const name = randomRoomName(random);
  return (await taken(name)) && tries > 1 ? freshRoomName(taken, random, tries - 1) : name;
}

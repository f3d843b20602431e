// kclinic's entry point: wiring only; the commands live in src/kclinic/cli/.
#include "kclinic/cli/cli.h"

int main(int argc, char** argv) { return kclinic::cli::Main(argc, argv); }

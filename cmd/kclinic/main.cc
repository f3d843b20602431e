// kclinic's entry point: wiring only; the commands live in src/kclinic/cli/.
#include <string>

#include "kclinic/cli/cli.h"

#ifdef KCLINIC_MIMALLOC
#include <mimalloc.h>

#include <cstdlib>
#endif

namespace {

// The malloc that this process's calls reach. The program is linked with mimalloc in place of
// glibc's malloc (docs/dependencies.md); it takes over only if the linker kept the library and it
// comes before libc in the load order, so this asks mimalloc whether it owns a block that the C
// library's allocation call just gave out, rather than assume it.
std::string Allocator() {
#ifdef KCLINIC_MIMALLOC
  void* block = std::calloc(1, 64);
  const bool ours = mi_is_in_heap_region(block);
  std::free(block);
  if (!ours) return "another (mimalloc is linked but not the malloc in use)";
  const int v = mi_version();  // e.g. 209 for 2.0.9
  return "mimalloc " + std::to_string(v / 100) + "." + std::to_string(v / 10 % 10) + "." +
         std::to_string(v % 10);
#else
  return "glibc";
#endif
}

}  // namespace

int main(int argc, char** argv) { return kclinic::cli::Main(argc, argv, Allocator()); }

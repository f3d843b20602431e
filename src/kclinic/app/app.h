// The application layer: one function per thing a person does. Each opens a transaction, calls
// the domain, and records the audit event; it returns a value the front ends render. This header
// gathers the layer's parts; include the one you use.
#pragma once

#include "kclinic/app/audit.h"
#include "kclinic/app/auth.h"
#include "kclinic/app/demo.h"
#include "kclinic/app/env.h"
#include "kclinic/app/patients.h"

// contact_preference.h — how a requester wants to hear back about a ticket, checked the same way
// wherever a ticket is filed: replies always appear in the portal; "email" adds an e-mail (to the
// address given, or the account's when none is), "phone" adds a call and needs a number to call.
// The detail (number or address) is sealed ticket content (crypto/sealed_text.h): the server
// never reads it. Phone numbers: 6 to 20 digits, with spaces, + ( ) - . / allowed around them.
// Not here: the wire names (domain.h), who may set them (lifecycle.h).
#pragma once

#include <string>
#include <string_view>

#include "lifebuoy/domain.h"
#include "lifebuoy/result.h"

namespace lb {

inline constexpr std::size_t kMaxContactDetailChars = 254;  // an e-mail address's longest

// The detail as stored (trimmed); "" when none is needed. Error bad_contact, with a message a
// person can act on ("Add the phone number to call", "… is not an e-mail address").
[[nodiscard]] Result<std::string> check_contact_detail(ContactPreference preference, std::string_view detail);

}  // namespace lb

// Boost.Asio is compiled once, in this translation unit (BOOST_ASIO_SEPARATE_COMPILATION), so that
// every other file that uses it compiles faster.
#include <boost/asio/impl/src.hpp>

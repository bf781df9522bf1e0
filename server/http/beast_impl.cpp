// Boost.Beast is compiled once, in this translation unit (BOOST_BEAST_SEPARATE_COMPILATION), like
// Asio in transport/asio_impl.cpp, so that every other file that uses it compiles faster.
#include <boost/beast/src.hpp>

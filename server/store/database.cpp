#include "server/store/database.hpp"

namespace server::store {

Result<Transaction> Database::begin(Durability durability) {
  if (in_transaction_)
    return error(Errc::misuse, "a transaction is already open on this connection");
  if (Status s = begin_transaction(durability); !s) return lockcore::fail(s.error());
  in_transaction_ = true;
  return Transaction(this);
}

Status Transaction::commit() {
  if (db_ == nullptr) return error(Errc::misuse, "the transaction has already finished");
  Status s = db_->commit_transaction();
  if (!s) {
    rollback();
    return s;
  }
  db_->in_transaction_ = false;
  db_ = nullptr;
  return {};
}

void Transaction::rollback() {
  if (db_ == nullptr) return;
  db_->rollback_transaction();
  db_->in_transaction_ = false;
  db_ = nullptr;
}

}  // namespace server::store

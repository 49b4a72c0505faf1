package io.vgpuhub.metering.licensing.entitlement;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

interface EntitlementRepository extends JpaRepository<Entitlement, Long> {

    List<Entitlement> findAllByOrderByEditionAscValidFromDescIdDesc();
}
